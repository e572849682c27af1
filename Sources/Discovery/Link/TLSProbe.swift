import COpenSSL
import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTPS conversation through the system OpenSSL, within one deadline: connect, handshake
/// without verifying (the scanner reads what the device presents: printers, projectors and
/// switches ship self-signed certificates), note the certificate's subject and issuer, send the
/// request, read a bounded answer. Called only through `TCPGate.tls` (via `KernelTCP`), which
/// checks the raw-print-port rule first.
enum TLSProbe {
    typealias Answer = TLSAnswer

    fileprivate static func exchange(
        _ ip: UInt32, _ port: UInt16, request: [UInt8], timeout: Double = 3, maxBytes: Int = 64 * 1024
    ) throws -> Answer {
        let deadline = monotonicSeconds() + timeout
        let fd = try Sockets.connect(ip, port, timeout: timeout)
        defer { close(fd) }
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw ScanError(.socket, "OpenSSL: no TLS context") }
        defer { SSL_CTX_free(ctx) }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        asl_accept_old_devices(ctx)
        guard let ssl = SSL_new(ctx) else { throw ScanError(.socket, "OpenSSL: no TLS session") }
        defer {
            SSL_free(ssl)
            ERR_clear_error()
        }
        SSL_set_fd(ssl, fd)
        // The socket stays non-blocking: every step waits on poll against one deadline, so a
        // peer that trickles bytes cannot hold the conversation open.
        var broken = false
        func again(_ rc: Int32) -> Bool {
            switch SSL_get_error(ssl, rc) {
            case SSL_ERROR_WANT_READ: return Sockets.wait(fd, for: Int16(POLLIN), until: deadline)
            case SSL_ERROR_WANT_WRITE: return Sockets.wait(fd, for: Int16(POLLOUT), until: deadline)
            case SSL_ERROR_ZERO_RETURN: return false
            default:
                broken = true
                return false
            }
        }
        while true {
            let rc = SSL_connect(ssl)
            if rc == 1 { break }
            guard again(rc) else { throw ScanError(.socket, "TLS handshake with port \(port) failed") }
        }
        var answer = Answer(bytes: [])
        if let certificate = SSL_get1_peer_certificate(ssl) {
            answer.subject = name(X509_get_subject_name(certificate))
            answer.issuer = name(X509_get_issuer_name(certificate))
            X509_free(certificate)
        }
        var written = false
        while !written {
            let rc = request.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            if rc == Int32(request.count) {
                written = true
            } else if !again(rc) {
                break
            }
        }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while written, answer.bytes.count < maxBytes {
            let rc = buffer.withUnsafeMutableBytes {
                SSL_read(ssl, $0.baseAddress, Int32(min($0.count, maxBytes - answer.bytes.count)))
            }
            if rc > 0 {
                answer.bytes += buffer[0..<Int(rc)]
            } else if !again(rc) {
                break
            }
        }
        // close_notify only on a session still sound (after a reset it would write to nothing).
        if !broken { SSL_shutdown(ssl) }
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

extension KernelTCP {
    /// The HTTPS conversation, for `TCPGate.tls` only (which checked the rule first).
    func tls(_ ip: UInt32, _ port: UInt16, request: [UInt8], timeout: Double, maxBytes: Int) throws
        -> TLSAnswer
    {
        try TLSProbe.exchange(ip, port, request: request, timeout: timeout, maxBytes: maxBytes)
    }
}
