#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/err.h>

// Macros over SSL_ctrl / SSL_CTX_ctrl, which Swift cannot call: small functions for them.
static inline int asl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

// A scanner must read what old devices present: TLS 1.0 and weak keys are accepted (nothing is
// trusted or sent that matters; the certificate is evidence, not authentication).
static inline void asl_accept_old_devices(SSL_CTX *ctx) {
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_security_level(ctx, 0);
    // OpenSSL 3 refuses servers without RFC 5746 secure renegotiation; old devices lack it.
    SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
}
