import Foundation

/// One endpoint's inventory at one time: identity, operating system, patches, antivirus and
/// installed software, whatever agent produced it. Importers of every format (our collectors,
/// GLPI/FusionInventory, OCS, Open-AudIT, osquery) produce this shape; docs/endpoint-report.md
/// documents its JSON form (schema version 1).
public struct EndpointReport: Encodable, Equatable, Sendable {
    public static let schemaVersion = 1

    /// Which format it was read from, e.g. `fusioninventory-xml`, `glpi-json`.
    public var format: String
    /// The agent and its version, when the report says.
    public var agent: String?
    public var collectedAt: Date?
    public var identity: Identity
    public var os: OperatingSystem?
    public var patches: [Patch] = []
    /// Updates the machine knows it still lacks (Windows Update, apt, yum).
    public var pendingUpdates: [PendingUpdate] = []
    public var antivirus: [AntivirusProduct] = []
    public var software: [Software] = []
    /// Activation channels the agent reported (Windows product ID, Office LICENSEINFOS); kept
    /// with the software section. Not part of the report's JSON form (schema version 1).
    public var activations: [Activation] = []
    /// The sections this report carries (see `Section`); a report read from JSON carries the
    /// ones present in it.
    public var sections: Set<Section> = Set(Section.allCases)

    public init(format: String, identity: Identity = Identity()) {
        self.format = format
        self.identity = identity
    }

    enum CodingKeys: String, CodingKey {
        case format, agent, collectedAt, identity, os, patches, pendingUpdates, antivirus, software, sections
    }

    public struct Identity: Encodable, Equatable, Sendable {
        public var hostname: String?
        public var domain: String?
        /// System (chassis) serial first, then board serial.
        public var serials: [String] = []
        public var smbiosUUID: String?
        public var macs: [String] = []
        public var ips: [String] = []
        public var vendor: String?
        public var model: String?
        public init() {}

        // JSON keys are snake_case (`smbios_uuid`); the encoder converts these names.
        enum CodingKeys: String, CodingKey {
            case hostname, domain, serials, macs, ips, vendor, model
            case smbiosUUID = "smbiosUuid"
        }
    }

    public struct OperatingSystem: Codable, Equatable, Sendable {
        public var name: String?
        /// Release or version string as the OS gives it (`2009`, `22.04`, `10.0.19045`).
        public var version: String?
        /// Build number (Windows: the third part of the kernel version, e.g. `22631`).
        public var build: String?
        /// Windows update build revision (the fourth part), when known.
        public var ubr: String?
        public var kernel: String?
        public var architecture: String?
        public var installedAt: Date?
        public init() {}
    }

    public struct Patch: Codable, Equatable, Sendable {
        /// `KB5034441`, or a package name for Linux security updates.
        public var id: String
        public var title: String?
        public var installedAt: Date?
        public init(id: String, title: String? = nil, installedAt: Date? = nil) {
            self.id = id
            self.title = title
            self.installedAt = installedAt
        }
    }

    public struct PendingUpdate: Codable, Equatable, Sendable {
        public var id: String
        public var title: String?
        /// True when the source marks it as a security update.
        public var security: Bool?
        public init(id: String, title: String? = nil, security: Bool? = nil) {
            self.id = id
            self.title = title
            self.security = security
        }
    }

    public struct AntivirusProduct: Codable, Equatable, Sendable {
        public var name: String
        public var vendor: String?
        public var enabled: Bool?
        public var signaturesUpToDate: Bool?
        public var productVersion: String?
        public var signatureVersion: String?
        public var signatureDate: Date?
        public var lastQuickScan: Date?
        public var lastFullScan: Date?
        public init(name: String) { self.name = name }
    }

    public struct Software: Codable, Equatable, Sendable {
        public var name: String
        public var publisher: String?
        public var version: String?
        public var installedAt: Date?
        /// Where the agent found it: `registry`, `wmi`, `uwp`, `deb`, `rpm`, ...
        public var source: String?
        public init(
            name: String, publisher: String? = nil, version: String? = nil, installedAt: Date? = nil,
            source: String? = nil
        ) {
            self.name = name
            self.publisher = publisher
            self.version = version
            self.installedAt = installedAt
            self.source = source
        }
    }
}
