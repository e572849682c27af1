import Testing

@testable import LedgerModel

@Suite struct ScanDiffTests {
    typealias H = ScanDiff.Host

    @Test func newGoneAndChangedHostsInAddressOrder() {
        let diff = ScanDiff(
            before: [
                H(ip: "198.18.0.10", mac: "00:1b:a9:00:00:01"), H(ip: "198.18.0.9", mac: "3c:d9:2b:00:00:01"),
                H(ip: "198.18.0.30", mac: nil),
            ],
            after: [
                H(ip: "198.18.0.10", mac: "00:00:48:00:00:07"), H(ip: "198.18.0.30", mac: nil),
                H(ip: "198.18.0.100", mac: "00:00:48:00:00:08"), H(ip: "198.18.0.11", mac: nil),
            ])
        #expect(diff.new.map(\.ip) == ["198.18.0.11", "198.18.0.100"])
        #expect(diff.gone == [H(ip: "198.18.0.9", mac: "3c:d9:2b:00:00:01")])
        #expect(
            diff.changed == [
                ScanDiff.Change(
                    ip: "198.18.0.10", field: "MAC", before: "00:1b:a9:00:00:01", after: "00:00:48:00:00:07")
            ])
    }

    @Test func portsNameFirmwareAndClassChangesAreEachALine() {
        let before = H(
            ip: "198.18.1.11", mac: "00:1b:a9:00:00:01", name: "PRN-1", ports: "80,515,9100", firmware: "1.0",
            deviceClass: "printer")
        var after = before
        after.name = "PRN-2"
        after.ports = "80,9100"
        after.firmware = "1.1"
        after.deviceClass = "mfp"
        let diff = ScanDiff(before: [before], after: [after])
        #expect(diff.changed.map(\.field) == ["name", "ports", "firmware", "class"])
        #expect(
            diff.changed[1]
                == ScanDiff.Change(ip: "198.18.1.11", field: "ports", before: "80,515,9100", after: "80,9100"))
        #expect(diff.new.isEmpty && diff.gone.isEmpty)
    }

    @Test func identicalScansDifferInNothing() {
        let hosts = [H(ip: "198.18.0.1", mac: "00:1b:a9:00:00:01", ports: "22")]
        let diff = ScanDiff(before: hosts, after: hosts)
        #expect(diff.new.isEmpty && diff.gone.isEmpty && diff.changed.isEmpty)
    }
}
