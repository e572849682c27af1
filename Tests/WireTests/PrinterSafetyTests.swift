import Testing

@testable import Wire

@Suite struct PrinterSafetyTests {
    @Test func onlyThePJLQueryReachesARawPrintPortAndOnlyOnAPrinter() {
        for port in RawPrintPorts.ports {
            #expect(RawPrintPorts.check(port: port, payload: RawPrintPorts.pjlInfoID, hostIsPrinter: true) == nil)
            #expect(RawPrintPorts.check(port: port, payload: [], hostIsPrinter: false) == nil)  // a connect
            #expect(
                RawPrintPorts.check(port: port, payload: RawPrintPorts.pjlInfoID, hostIsPrinter: false)
                    == .notAPrinter(port: port))
            #expect(
                RawPrintPorts.check(port: port, payload: Array("GET / HTTP/1.0\r\n\r\n".utf8), hostIsPrinter: true)
                    == .payloadNotAllowed(port: port))
            #expect(
                RawPrintPorts.check(port: port, payload: Array("@PJL INFO STATUS\r\n".utf8), hostIsPrinter: true)
                    == .payloadNotAllowed(port: port))
        }
        #expect(RawPrintPorts.check(port: 515, payload: [0x02], hostIsPrinter: true) == .payloadNotAllowed(port: 515))
        #expect(RawPrintPorts.check(port: 515, payload: [], hostIsPrinter: true) == nil)
        #expect(
            RawPrintPorts.check(port: 80, payload: Array("GET / HTTP/1.0\r\n\r\n".utf8), hostIsPrinter: true) == nil)
        #expect(
            String(decoding: RawPrintPorts.pjlInfoID, as: UTF8.self) == "\u{1B}%-12345X@PJL INFO ID\r\n\u{1B}%-12345X")
    }

    @Test func theModelFromAnInfoIDAnswer() {
        #expect(
            RawPrintPorts.model(fromInfoID: Array("@PJL INFO ID\r\n\"HP LaserJet Pro M404dn\"\r\n\u{0C}".utf8))
                == "HP LaserJet Pro M404dn")
        #expect(
            RawPrintPorts.model(fromInfoID: Array("@PJL INFO ID\r\nKYOCERA ECOSYS M2540dn\r\n\u{0C}".utf8))
                == "KYOCERA ECOSYS M2540dn")
        #expect(RawPrintPorts.model(fromInfoID: Array("garbage".utf8)) == nil)
        #expect(RawPrintPorts.model(fromInfoID: Array(repeating: 65, count: 10_000)) == nil)
    }
}
