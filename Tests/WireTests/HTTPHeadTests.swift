import Foundation
import Testing

@testable import Wire

@Suite struct HTTPHeadTests {
    @Test func anSSDPNotifyFromAMediaRenderer() throws {
        let notify =
            "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://198.18.20.5:49494/description.xml\r\nNT: urn:schemas-upnp-org:device:MediaRenderer:1\r\nNTS: ssdp:alive\r\nSERVER: Linux/6.1 UPnP/1.0 GMediaRender/0.0.9\r\nUSN: uuid:GMediaRender-1_0-000-000-002::urn:schemas-upnp-org:device:MediaRenderer:1\r\n\r\n"
        let head = try HTTPHead.parse(Array(notify.utf8)[...])
        #expect(head.startLine == "NOTIFY * HTTP/1.1")
        #expect(head["nt"] == "urn:schemas-upnp-org:device:MediaRenderer:1")
        #expect(head["Location"] == "http://198.18.20.5:49494/description.xml")
        #expect(head["server"]?.contains("GMediaRender") == true)
        #expect(head.status == nil)
    }

    @Test func aPrinterWebPageAndItsTitle() throws {
        let page =
            "HTTP/1.1 200 OK\r\nServer: HP HTTP Server; HP LaserJet Pro M404dn - W1A53A; Serial Number: PHBBK12345\r\nContent-Type: text/html\r\n\r\n<html><head><TITLE>\n  HP LaserJet Pro M404dn &nbsp;  </TITLE></head></html>"
        let head = try HTTPHead.parse(Array(page.utf8)[...])
        #expect(head.status == 200)
        #expect(head["server"]?.hasPrefix("HP HTTP Server") == true)
        #expect(HTTPHead.title(head.body) == "HP LaserJet Pro M404dn &nbsp;")
    }

    @Test func notHTTPAndHugeHeadsAreRefused() {
        #expect(throws: CodecError("http", 0, "no HTTP start line")) { try HTTPHead.parse(Array("hello".utf8)[...]) }
        #expect(throws: CodecError.self) { try HTTPHead.parse(Array(repeating: 65, count: 40_000)[...]) }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? HTTPHead.parse(bytes[...])
            _ = HTTPHead.title(bytes[...])
        }
    }
}
