import CPcap
import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// A local network interface the scanner sends from: its name, MAC and IPv4 address.
public struct NetworkInterface: Sendable, Equatable {
    public var name: String
    public var mac: [UInt8]
    public var ipv4: IPAddress
    /// The interface's IPv4 netmask (host order); 0xFFFFFFFF when unknown.
    public var netmask: UInt32 = 0xFFFF_FFFF

    /// The on-link subnet: addresses reached by ARP, not through a gateway.
    public var network: ClosedRange<UInt32> {
        let base = ipv4.v4Value & netmask
        return base...(base | ~netmask)
    }

    /// Looks the interface up with getifaddrs; refuses one without a MAC or an IPv4 address.
    public static func named(_ name: String) throws -> NetworkInterface {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else {
            throw ScanError(.interface, "cannot list network interfaces")
        }
        defer { freeifaddrs(list) }
        var mac: [UInt8]?
        var ipv4: IPAddress?
        var netmask: UInt32 = 0xFFFF_FFFF
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard String(cString: entry.pointee.ifa_name) == name, let address = entry.pointee.ifa_addr else {
                continue
            }
            switch Int32(address.pointee.sa_family) {
            case AF_PACKET:
                // struct sockaddr_ll: family, protocol, ifindex, hatype, pkttype, halen (byte 11),
                // address (bytes 12...19).
                let raw = UnsafeRawPointer(address)
                if raw.load(fromByteOffset: 11, as: UInt8.self) == 6 {
                    mac = (12..<18).map { raw.load(fromByteOffset: $0, as: UInt8.self) }
                }
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    if ipv4 == nil {
                        ipv4 = IPAddress(v4: UInt32(bigEndian: sin.pointee.sin_addr.s_addr))
                        if let mask = entry.pointee.ifa_netmask {
                            mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                                netmask = UInt32(bigEndian: $0.pointee.sin_addr.s_addr)
                            }
                        }
                    }
                }
            default: break
            }
        }
        guard let mac else {
            throw ScanError(.interface, "interface '\(name)' does not exist or has no Ethernet address")
        }
        guard let ipv4 else { throw ScanError(.interface, "interface '\(name)' has no IPv4 address to send from") }
        return NetworkInterface(name: name, mac: mac, ipv4: ipv4, netmask: netmask)
    }
}

/// A live libpcap handle on one interface: inject frames, read the ones the filter lets in.
/// Non-blocking, immediate mode, short snap length (the scanner reads headers, not payloads).
public final class LiveCapture {
    let handle: OpaquePointer
    public let linkType: Int32

    public init(interface: String, filter: String, snapLength: Int32 = 512) throws {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw ScanError(.capture, "libpcap cannot open '\(interface)': \(Self.text(errorBuffer))")
        }
        self.handle = handle
        pcap_set_snaplen(handle, snapLength)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 10)
        pcap_set_buffer_size(handle, 8 << 20)
        let status = pcap_activate(handle)
        guard status >= 0 else {
            let reason = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            if status == PCAP_ERROR_PERM_DENIED { throw CaptureDenied(interface: interface, reason: reason) }
            throw ScanError(
                .capture,
                "libpcap cannot capture on '\(interface)': \(reason)\(status == PCAP_ERROR_PERM_DENIED ? " (run as root or grant CAP_NET_RAW)" : "")"
            )
        }
        linkType = pcap_datalink(handle)
        var program = bpf_program()
        // (From here on a throw runs deinit, which closes the handle: no close of our own.)
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw ScanError(.capture, "bad capture filter '\(filter)': \(String(cString: pcap_geterr(handle)))")
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0, pcap_setnonblock(handle, 1, &errorBuffer) == 0 else {
            throw ScanError(
                .capture, "cannot set up capture on '\(interface)': \(String(cString: pcap_geterr(handle)))")
        }
    }

    deinit { pcap_close(handle) }

    public func send(_ frame: [UInt8]) throws {
        let sent = frame.withUnsafeBytes { pcap_inject(handle, $0.baseAddress, $0.count) }
        guard sent == frame.count else {
            throw ScanError(.capture, "sending failed: \(String(cString: pcap_geterr(handle)))")
        }
    }

    /// The frames waiting now, at most `limit` (returns at once when none are).
    public func poll(limit: Int, _ body: ([UInt8]) -> Void) {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        var n = 0
        while n < limit, pcap_next_ex(handle, &header, &data) == 1, let header, let data {
            body(Array(UnsafeBufferPointer(start: data, count: Int(header.pointee.caplen))))
            n += 1
        }
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// libpcap refused for lack of privilege (not root, no CAP_NET_RAW): the scanner then falls
/// back to kernel sockets (connect scan, UDP through the socket).
public struct CaptureDenied: Error, CustomStringConvertible {
    public var interface: String
    public var reason: String
    public var description: String {
        "libpcap cannot capture on '\(interface)': \(reason) (run as root or grant CAP_NET_RAW)"
    }
}

/// Seconds on a monotonic clock, for rate limiting and timeouts.
public func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
