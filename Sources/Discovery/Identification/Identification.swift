import Foundation
import LedgerModel

/// What identification knows besides the rules: the IANA enterprise registry (who made an SNMP
/// agent) and the manufacturer dictionary (one name per maker). Either may be missing: the
/// verdict is then made without it.
public struct Identification: Sendable {
    public var enterprises: EnterpriseNumbers?
    public var manufacturers: ManufacturerDictionary?

    public init(enterprises: EnterpriseNumbers? = nil, manufacturers: ManufacturerDictionary? = nil) {
        self.enterprises = enterprises
        self.manufacturers = manufacturers
    }

    /// The signals with the structure and enterprise derived, through the rules.
    public func identify(_ signals: [String: [String]], rules: [FingerprintRule]) -> Fingerprint {
        Fingerprints.evaluate(
            DeviceStructure.derive(signals, enterprises: enterprises), rules: rules, manufacturers: manufacturers)
    }
}
