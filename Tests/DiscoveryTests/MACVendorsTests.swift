import Testing

@testable import Discovery

/// Debian's ieee-data, installed by scripts/install-deps.sh: missing files fail the test.
@Suite struct MACVendorsTests {
    @Test func vendorsComeFromTheLongestRegisteredPrefix() throws {
        let vendors = try MACVendors.load()
        #expect(vendors.count > 40_000)
        #expect(vendors.vendor(of: "3C:D9:2B:11:22:33") == "Hewlett Packard")
        #expect(vendors.vendor(of: "00-17-c8-44-55-66") == "KYOCERA Display Corporation")
        #expect(vendors.vendor(of: "b07b.25aa.bbcc") == "Dell Inc.")
        #expect(vendors.vendor(of: "08:00:27:39:a6:75") == "PCS Systemtechnik GmbH")  // VirtualBox
        // /28 and /36 assignments inside a /24 block win over the block.
        #expect(vendors.vendor(of: "20:85:93:B0:00:01") == "IOG Products LLC")
        #expect(vendors.vendor(of: "70:B3:D5:F2:F0:01") == "TELEPLATFORMS")
        // Locally administered (randomized) addresses name no maker.
        #expect(vendors.vendor(of: "02:fc:00:00:00:01") == nil)
        #expect(vendors.vendor(of: "not a mac") == nil)
    }

    @Test func aMissingRegistryIsAnError() {
        #expect(throws: (any Error).self) { try MACVendors.load(directory: "/nonexistent") }
    }
}
