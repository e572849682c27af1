import Foundation
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@Suite struct ScanRecordTests {
    func answer(_ ip: String, _ mac: String) -> Observation {
        var o = Observation(source: .scan, sourceRef: "arp lab0", observedAt: at(0))
        o.ips = [ip]
        o.macs = [mac]
        return o
    }

    func record(status: String = "completed") -> ScanRecord {
        ScanRecord(
            method: "arp", scope: "198.18.10.1-198.18.10.254", exclusions: "198.18.10.9", interface: "lab0",
            startedAt: at(0), finishedAt: at(0.1), status: status, targets: 253, packets: 500, answered: 2)
    }

    @Test func aScanIsRecordedWithWhatItSawAndItsDevicesMerge() throws {
        let ledger = try campusLedger()
        let seen = [answer("198.18.10.20", "3c:d9:2b:00:00:01"), answer("198.18.10.21", "00:1b:a9:00:00:02")]
        let (first, summary) = try ledger.recordScan(record(), observations: seen)
        #expect(summary.created == 2 && first.newDevices == 2 && first.knownDevices == 0)
        let (second, _) = try ledger.recordScan(record(), observations: [seen[0]])
        #expect(second.newDevices == 0 && second.knownDevices == 1)
        let scans = try ledger.scans()
        #expect(scans.map(\.id) == [second.id, first.id])
        #expect(scans.last == first)
        let hosts = try ledger.scanHosts(try #require(first.id))
        #expect(hosts.map(\.ip) == ["198.18.10.20", "198.18.10.21"])
        #expect(hosts.map(\.mac) == ["3c:d9:2b:00:00:01", "00:1b:a9:00:00:02"])
        #expect(hosts.map(\.ports) == ["", ""])
        #expect(throws: LedgerError(.notFound, "no scan 99")) { try ledger.scanHosts(99) }
        // The scan's devices land in the department owning the subnet, like any observation.
        let devices = try ledger.devices(DeviceFilter(department: "DZB"))
        #expect(devices.count == 2)
    }

    @Test func aScanKeepsEachHostsNamePortsFirmwareAndClassForTheDiff() throws {
        let ledger = try campusLedger()
        var printer = answer("198.18.10.20", "3c:d9:2b:00:00:01")
        printer.hostnames = ["PRN-A"]
        printer.firmware = "2.1"
        printer.deviceClass = .printer
        let (scan, _) = try ledger.recordScan(
            record(), observations: [printer], openPorts: ["198.18.10.20": [9100, 80, 515]])
        let hosts = try ledger.scanHosts(try #require(scan.id))
        #expect(
            hosts == [
                ScanDiff.Host(
                    ip: "198.18.10.20", mac: "3c:d9:2b:00:00:01", name: "PRN-A", ports: "80,515,9100", firmware: "2.1",
                    deviceClass: "printer")
            ])
    }

    @Test func aScanThatCannotBeRecordedMergesNothing() throws {
        let ledger = try campusLedger()
        #expect(throws: (any Error).self) {
            try ledger.recordScan(
                record(status: "half-done"), observations: [answer("198.18.10.20", "3c:d9:2b:00:00:01")])
        }
        #expect(try ledger.scans().isEmpty)
        #expect(try ledger.devices(DeviceFilter()).isEmpty)
    }
}
