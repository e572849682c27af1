import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// Kernel sockets for the probes that need a real conversation (TCP) or a bound port to
/// receive UDP answers on. Every call has a deadline and a byte cap. TCP conversations are
/// held through `TCPGate` (with `KernelTCP`), which alone writes to a connected socket.
enum Sockets {
    static func address(_ ip: UInt32, _ port: UInt16) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = ip.bigEndian
        return a
    }

    /// A non-blocking UDP socket bound to `ip` on a port the kernel picks; returns it and the port.
    static func boundUDP(_ ip: UInt32) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ScanError(.socket, "cannot open a UDP socket: \(String(cString: strerror(errno)))") }
        var size: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var a = address(ip, 0)
        let bound = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw ScanError(.socket, "cannot bind a UDP socket: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: a.sin_port))
    }

    /// The datagrams waiting on `fd` now (source address, source port, bytes).
    static func receive(_ fd: Int32, limit: Int = 256, _ body: (UInt32, UInt16, ArraySlice<UInt8>) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 9_000)
        for _ in 0..<limit {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length)
                    }
                }
            }
            guard n > 0 else { return }
            body(UInt32(bigEndian: from.sin_addr.s_addr), UInt16(bigEndian: from.sin_port), buffer[0..<n])
        }
    }

    /// A non-blocking TCP socket connected to `ip`:`port` within `timeout` seconds (the caller closes it).
    static func connect(_ ip: UInt32, _ port: UInt16, timeout: Double) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ScanError(.socket, "cannot open a TCP socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var a = address(ip, port)
        let started = monotonicSeconds()
        let rc = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            var error: Int32 = errno
            if error == EINPROGRESS {
                if wait(fd, for: Int16(POLLOUT), until: started + timeout) {
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                } else {
                    error = ETIMEDOUT
                }
            }
            guard error == 0 else {
                close(fd)
                throw ScanError(.socket, "connect to port \(port) failed: \(String(cString: strerror(error)))")
            }
        }
        return fd
    }

    /// A /proc file read to its end. (Foundation sizes a read by the file's stat size, which
    /// /proc reports as 0, and stopped at the first 4 KB: 51 lines of a 1,000-entry ARP table.)
    static func readProcFile(_ path: String, limit: Int = 16 << 20) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count < limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func wait(_ fd: Int32, for events: Int16, until deadline: Double) -> Bool {
        let left = deadline - monotonicSeconds()
        guard left > 0 else { return false }
        var p = pollfd(fd: fd, events: events, revents: 0)
        return poll(&p, 1, Int32(max(1, left * 1000))) > 0 && p.revents & (events | Int16(POLLHUP)) != 0
    }
}
