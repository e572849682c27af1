import COpenSSL
import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTPS conversation through the system OpenSSL: connect with a deadline, handshake
/// without verifying (the scanner reads what the device presents: printers, projectors and
/// switches ship self-signed certificates), note the certificate's subject and issuer, send the
/// request, read a bounded answer.
enum TLSProbe {
    struct Answer {
        var subject: String?
        var issuer: String?
        var bytes: [UInt8]
    }

    static func exchange(
        _ ip: UInt32, _ port: UInt16, request: [UInt8], timeout: Double = 3, maxBytes: Int = 64 * 1024
    ) throws -> Answer {
        let fd = try Sockets.connect(ip, port, timeout: timeout)
        defer { close(fd) }
        // Blocking from here on, each read and write bounded by the same timeout.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw LedgerError("OpenSSL: no TLS context") }
        defer { SSL_CTX_free(ctx) }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        asl_accept_old_devices(ctx)
        guard let ssl = SSL_new(ctx) else { throw LedgerError("OpenSSL: no TLS session") }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else {
            ERR_clear_error()
            throw LedgerError("TLS handshake with port \(port) failed")
        }
        var answer = Answer(bytes: [])
        if let certificate = SSL_get1_peer_certificate(ssl) {
            answer.subject = name(X509_get_subject_name(certificate))
            answer.issuer = name(X509_get_issuer_name(certificate))
            X509_free(certificate)
        }
        let written = request.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        if written == Int32(request.count) {
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            let deadline = monotonicSeconds() + timeout
            while answer.bytes.count < maxBytes, monotonicSeconds() < deadline {
                let n = buffer.withUnsafeMutableBytes {
                    SSL_read(ssl, $0.baseAddress, Int32(min($0.count, maxBytes - answer.bytes.count)))
                }
                if n <= 0 { break }
                answer.bytes += buffer[0..<Int(n)]
            }
        }
        SSL_shutdown(ssl)
        ERR_clear_error()
        return answer
    }

    /// `/C=CN/O=Campus/CN=printer-1` (X509_NAME_oneline into our own buffer: nothing to free).
    static func name(_ name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        var buffer = [CChar](repeating: 0, count: 512)
        guard X509_NAME_oneline(name, &buffer, Int32(buffer.count)) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}
