import Foundation

/// One datagram a question sends: to which of the host's ports, with what bytes.
public struct UDPRequest: Equatable, Sendable {
    public var port: UInt16
    public var payload: [UInt8]
    public init(port: UInt16, _ payload: [UInt8]) {
        self.port = port
        self.payload = payload
    }
}

/// What a question is asked with: the host, the round, and the scan's numbers at that moment.
public struct UDPAsk: Sendable {
    public var target: LinkTarget
    /// 0 for the first round; the retry rounds after it.
    public var round: Int
    public var communities: [String]
    /// The host's request ID (SNMP request and message IDs): a per-scan base plus the host's index.
    public var requestID: Int32
    /// The frame counter now (DNS and NetBIOS transaction IDs).
    public var frameID: UInt16

    public init(target: LinkTarget, round: Int, communities: [String], requestID: Int32, frameID: UInt16) {
        self.target = target
        self.round = round
        self.communities = communities
        self.requestID = requestID
        self.frameID = frameID
    }
}

/// What one question remembers of one host during a scan (what it already followed up).
public struct UDPHostMemory: Sendable {
    public var seen: Set<String> = []
    public var count = 0
    /// Counts kept across answers (SNMP: interfaces by ifType over the GETBULK walk).
    public var tally: [Int64: Int] = [:]
    public init() {}
}

/// An answer a question's reader took: the signals, a UPnP description to fetch over TCP, and
/// more to ask the same host (built when it is sent, with the numbers of that moment).
public struct UDPReading: Sendable {
    public var signals: Signals
    public var description: String?
    public var followUp: (@Sendable (UDPAsk) -> [UDPRequest])?

    public init(
        signals: Signals, description: String? = nil, followUp: (@Sendable (UDPAsk) -> [UDPRequest])? = nil
    ) {
        self.signals = signals
        self.description = description
        self.followUp = followUp
    }
}

/// A question every live host is asked over UDP: the requests it sends and the reader of its
/// answers. An answer goes to the questions whose `ports` it came from (SNMP and SNMPv3 share
/// 161: each reader takes only its own version); one from a port no question is sent to goes to
/// the questions that `answerFromAnyPort` (SSDP: some stacks answer from a fresh port).
public protocol UDPQuestion: Probe {
    /// Whether hosts silent to it are asked again in the retry rounds.
    var retried: Bool { get }
    /// Whether its answers may come from a port it did not ask.
    var answerFromAnyPort: Bool { get }
    /// The datagrams for one host in one round (nothing: not asked this round).
    func requests(_ ask: UDPAsk) -> [UDPRequest]
    /// Reads one datagram from the host's `port`: nil when it is no answer to this question.
    func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading?
}

extension UDPQuestion {
    public var transport: ProbeTransport { .udp }
    public var retried: Bool { false }
    public var answerFromAnyPort: Bool { false }
}

/// SNMP GET and GET-NEXT per community as v2c; the silent asked again as v1 (the system group
/// first, which every agent has); a v1 agent that answers gets its other objects one per request.
/// A v2c agent that answers is asked once more: a GETBULK walk of ifType (the type of every
/// interface, `ProbeRequests.snmpBulkRepetitions` rows), continued once if the column goes on.
public struct SNMPQuestion: UDPQuestion {
    public init() {}
    public var name: String { "snmp" }
    public var ports: [UInt16] { [161] }
    public var retried: Bool { true }
    public var summary: String {
        "SNMP GET and GET-NEXT per `--community` (v2c, then a GETBULK of every interface's type; v1 for the silent, one object per request after the system group)"
    }

    static func request(_ ask: UDPAsk, version: Int, _ community: String, _ pdu: UInt8, _ oids: [String])
        -> UDPRequest
    {
        UDPRequest(
            port: 161,
            ProbeRequests.snmp(version: version, community: community, pdu: pdu, requestID: ask.requestID, oids: oids))
    }

    public func requests(_ ask: UDPAsk) -> [UDPRequest] {
        if ask.round == 0 {
            return ask.communities.flatMap { community in
                [
                    Self.request(ask, version: 1, community, 0xA0, ProbeRequests.snmpGetOIDs),
                    Self.request(ask, version: 1, community, 0xA1, ProbeRequests.snmpNextOIDs),
                    Self.request(ask, version: 1, community, 0xA0, ProbeRequests.snmpStructureOIDs),
                ]
            }
        }
        // v1 for agents silent to v2c: first the system group, which every agent has.
        return ask.communities.map { Self.request(ask, version: 0, $0, 0xA0, ProbeRequests.snmpSystemOIDs) }
    }

    public func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading? {
        guard let message = try? SNMPMessage.parse(bytes), message.version != 3 else { return nil }
        if message.version == 1, memory.seen.contains("bulk"),
            let reading = Self.readInterfaces(message, memory: &memory)
        {
            return reading
        }
        var reading = UDPReading(signals: ProbeAnswers.snmp(message))
        // A v2c agent that answers: one GETBULK of ifType, with the community it took.
        if message.version == 1, message.pduType == 0xA2, message.errorStatus == 0, let community = message.community,
            memory.seen.insert("bulk").inserted
        {
            reading.followUp = { ask in
                [Self.bulk(ask, community, from: ProbeRequests.ifTypeColumn)]
            }
        }
        // A v1 agent fails a whole request on one missing object: its columns are asked one by
        // one once it has answered the system group.
        if message.version == 0, message.errorStatus == 0, memory.seen.insert("v1").inserted,
            let community = message.community
        {
            reading.followUp = { ask in
                (ProbeRequests.snmpGetOIDs.filter { !ProbeRequests.snmpSystemOIDs.contains($0) }
                    + ProbeRequests.snmpStructureOIDs).map {
                        Self.request(ask, version: 0, community, 0xA0, [$0])
                    } + ProbeRequests.snmpNextOIDs.map { Self.request(ask, version: 0, community, 0xA1, [$0]) }
            }
        }
        return reading
    }

    static func bulk(_ ask: UDPAsk, _ community: String, from oid: String) -> UDPRequest {
        UDPRequest(
            port: 161,
            ProbeRequests.snmpBulk(
                community: community, requestID: ask.requestID, maxRepetitions: ProbeRequests.snmpBulkRepetitions,
                oids: [oid]))
    }

    /// The answer to the GETBULK (its rows are ifType instances; a GET or GET-NEXT answer's
    /// first binding never is): the types counted over at most two answers, each row once and
    /// at most two answers' worth. The signals come when the walk ends, or with the second
    /// answer (a lower bound then); a later answer is taken and adds nothing.
    static func readInterfaces(_ message: SNMPMessage, memory: inout UDPHostMemory) -> UDPReading? {
        let walk = message.walk(column: ProbeRequests.ifTypeColumn)
        guard let last = walk.rows.last else { return nil }
        guard !memory.seen.contains("bulk:done") else { return UDPReading(signals: Signals()) }
        let limit = 2 * ProbeRequests.snmpBulkRepetitions
        for row in walk.rows where memory.count < limit && memory.seen.insert("if:" + row.oid).inserted {
            memory.count += 1
            for (type, n) in ProbeAnswers.interfaceTypeCounts([row]) { memory.tally[type, default: 0] += n }
        }
        if !walk.ended, memory.count < limit, let community = message.community,
            memory.seen.insert("bulk:more").inserted
        {
            var reading = UDPReading(signals: Signals())
            reading.followUp = { ask in [Self.bulk(ask, community, from: last.oid)] }
            return reading
        }
        memory.seen.insert("bulk:done")
        return UDPReading(signals: ProbeAnswers.snmpInterfaces(memory.tally))
    }
}

/// The SNMPv3 engine discovery (no user): the agent's engine ID.
public struct SNMPv3Question: UDPQuestion {
    public init() {}
    public var name: String { "snmpv3" }
    public var ports: [UInt16] { [161] }
    public var summary: String { "SNMPv3 engine discovery, no user (the engine ID: maker, often a MAC)" }

    public func requests(_ ask: UDPAsk) -> [UDPRequest] {
        [UDPRequest(port: 161, ProbeRequests.snmpV3Discovery(messageID: ask.requestID))]
    }

    public func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading? {
        guard let message = try? SNMPMessage.parse(bytes), message.version == 3 else { return nil }
        return UDPReading(signals: ProbeAnswers.snmp(message))
    }
}

/// The NetBIOS node status for `*`: names, workgroup, MAC.
public struct NBNSQuestion: UDPQuestion {
    public init() {}
    public var name: String { "nbns" }
    public var ports: [UInt16] { [137] }
    public var summary: String { "NetBIOS node status (names, workgroup, MAC)" }

    public func requests(_ ask: UDPAsk) -> [UDPRequest] {
        [UDPRequest(port: 137, ProbeRequests.nbnsNodeStatus(id: ask.frameID))]
    }

    public func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading? {
        guard let info = try? NBNSInfo.parse(bytes) else { return nil }
        return UDPReading(signals: ProbeAnswers.nbns(info))
    }
}

/// DNS-SD over the host's own mDNS port (legacy unicast): its services, then the TXT of the
/// instances that came without one (at most `maximumInstances` per host, in queries that fit a frame).
public struct MDNSQuestion: UDPQuestion {
    public init() {}
    public var name: String { "mdns" }
    public var ports: [UInt16] { [5353] }
    public var summary: String {
        "DNS-SD to the host's mDNS port (services; TXT of up to 32 instances that came without one)"
    }
    /// DNS-SD instances asked for their TXT per host, at most.
    public static let maximumInstances = 32

    public func requests(_ ask: UDPAsk) -> [UDPRequest] {
        [
            UDPRequest(
                port: 5353,
                ProbeRequests.dnsQuery(id: ask.frameID, names: ProbeRequests.dnssdServices, type: DNSMessage.ptr))
        ]
    }

    public func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading? {
        guard let message = try? DNSMessage.parse(bytes), message.isResponse else { return nil }
        let (signals, instances) = ProbeAnswers.dnssd(message)
        var reading = UDPReading(signals: signals)
        var fresh: [String] = []
        for name in instances where memory.count < Self.maximumInstances {
            if memory.seen.insert(name.lowercased()).inserted {
                fresh.append(name)
                memory.count += 1
            }
        }
        if !fresh.isEmpty {
            let names = fresh
            reading.followUp = { ask in
                // Several queries if need be, each well under one frame.
                ProbeRequests.dnsQueries(id: ask.frameID, names: names, type: DNSMessage.txt).map {
                    UDPRequest(port: 5353, $0)
                }
            }
        }
        return reading
    }
}

/// An SSDP M-SEARCH by unicast to the host: its server, types and the UPnP description's URL.
public struct SSDPQuestion: UDPQuestion {
    public init() {}
    public var name: String { "ssdp" }
    public var ports: [UInt16] { [1900] }
    public var answerFromAnyPort: Bool { true }
    public var summary: String { "SSDP M-SEARCH by unicast (server, types, the UPnP description's URL)" }

    public func requests(_ ask: UDPAsk) -> [UDPRequest] {
        [UDPRequest(port: 1900, ProbeRequests.ssdpSearch(host: ask.target.ip.description))]
    }

    /// An HTTP response from 1900 or, from some stacks, from a fresh port of their own.
    public func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading? {
        guard bytes.starts(with: Array("HTTP/1.".utf8)), let head = try? HTTPHead.parse(bytes) else { return nil }
        let (signals, location) = ProbeAnswers.ssdp(head)
        return UDPReading(signals: signals, description: location)
    }
}

/// A WS-Discovery Probe to the host itself (never to the multicast group, which excluded
/// hosts would hear): its types and service addresses.
public struct WSDQuestion: UDPQuestion {
    public init() {}
    public var name: String { "wsd" }
    public var ports: [UInt16] { [ProbeRequests.wsdPort] }
    public var summary: String { "WS-Discovery Probe to the host itself (types, service addresses)" }

    public func requests(_ ask: UDPAsk) -> [UDPRequest] {
        [UDPRequest(port: ProbeRequests.wsdPort, ProbeRequests.wsdProbe(messageID: UUID()))]
    }

    public func read(port: UInt16, _ bytes: ArraySlice<UInt8>, memory: inout UDPHostMemory) -> UDPReading? {
        let signals = ProbeAnswers.wsd(bytes)
        return signals.isEmpty ? nil : UDPReading(signals: signals)
    }
}
