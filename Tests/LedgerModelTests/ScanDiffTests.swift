import Testing

@testable import LedgerModel

@Suite struct ScanDiffTests {
    @Test func newGoneAndChangedHostsInAddressOrder() {
        let diff = ScanDiff(
            before: [("198.18.0.10", "00:1b:a9:00:00:01"), ("198.18.0.9", "3c:d9:2b:00:00:01"), ("198.18.0.30", nil)],
            after: [
                ("198.18.0.10", "00:00:48:00:00:07"), ("198.18.0.30", nil), ("198.18.0.100", "00:00:48:00:00:08"),
                ("198.18.0.11", nil),
            ])
        #expect(diff.new.map(\.ip) == ["198.18.0.11", "198.18.0.100"])
        #expect(diff.gone == [ScanDiff.Host(ip: "198.18.0.9", mac: "3c:d9:2b:00:00:01")])
        #expect(
            diff.changed == [
                ScanDiff.Change(ip: "198.18.0.10", before: "00:1b:a9:00:00:01", after: "00:00:48:00:00:07")
            ])
    }

    @Test func identicalScansDifferInNothing() {
        let hosts: [(String, String?)] = [("198.18.0.1", "00:1b:a9:00:00:01")]
        let diff = ScanDiff(before: hosts, after: hosts)
        #expect(diff.new.isEmpty && diff.gone.isEmpty && diff.changed.isEmpty)
    }
}
