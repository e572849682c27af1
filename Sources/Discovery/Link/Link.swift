import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the scan phases put their own frames and read the answers: libpcap on a real
/// interface (`LiveCapture`), or an in-memory network in the tests (`FakeLink`). The phases
/// check everything they read themselves (a capture filter only saves work), so any link that
/// hands them the frames on the wire will do.
public protocol Link: AnyObject {
    /// The libpcap link type of the frames `poll` hands out (1: Ethernet).
    var linkType: Int32 { get }
    func send(_ frame: [UInt8]) throws
    /// The frames waiting now, at most `limit`; returns at once when none are.
    func poll(limit: Int, _ body: ([UInt8]) -> Void)
}

extension Link {
    public func poll(_ body: ([UInt8]) -> Void) { poll(limit: 1024, body) }
}

extension LiveCapture: Link {}

/// The time the scan phases pace and wait by: the monotonic clock (`SystemClock`), or a
/// virtual one that only moves when slept on (`FakeClock`), so a test of a ten-second sweep
/// takes no time at all.
public protocol ScanClock {
    /// Seconds on a monotonic scale.
    func now() -> Double
    func sleep(_ seconds: Double)
}

/// The machine's monotonic clock and `usleep`.
public struct SystemClock: ScanClock {
    public init() {}
    public func now() -> Double { monotonicSeconds() }
    public func sleep(_ seconds: Double) { usleep(UInt32(max(0, min(seconds, 4_000)) * 1e6)) }
}

/// Where the UDP questions' answers arrive: one bound kernel socket (`KernelDatagramSocket`),
/// or the fake network's (`FakeDatagramSocket`). It also sends, for the unprivileged scan that
/// cannot write its own frames.
public protocol DatagramSocket: AnyObject {
    /// The port answers come back to.
    var localPort: UInt16 { get }
    /// One datagram through the kernel (which resolves the host's MAC itself).
    func send(to ip: UInt32, port: UInt16, _ payload: [UInt8])
    /// The datagrams waiting now, at most `limit`: source address, source port, bytes.
    func receive(limit: Int, _ body: (UInt32, UInt16, ArraySlice<UInt8>) -> Void)
}

/// A non-blocking UDP socket bound to our address on a port the kernel picks.
public final class KernelDatagramSocket: DatagramSocket {
    let fd: Int32
    public let localPort: UInt16

    public init(bound ip: UInt32) throws { (fd, localPort) = try Sockets.boundUDP(ip) }
    deinit { close(fd) }

    public func send(to ip: UInt32, port: UInt16, _ payload: [UInt8]) {
        var a = Sockets.address(ip, port)
        _ = payload.withUnsafeBytes { bytes in
            withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    public func receive(limit: Int, _ body: (UInt32, UInt16, ArraySlice<UInt8>) -> Void) {
        Sockets.receive(fd, limit: limit, body)
    }
}

/// Keeps reading answers (`collect`) for `seconds` of `clock`, stopping early once `done` says
/// nothing more is awaited: the listening window after a round of probes.
func listen(
    for seconds: Double, clock: some ScanClock, _ collect: () -> Void, until done: () -> Bool = { false }
) {
    let deadline = clock.now() + seconds
    while clock.now() < deadline, !done() {
        collect()
        clock.sleep(0.001)
    }
}
