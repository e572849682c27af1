import Testing

@testable import LedgerModel

@Suite struct AddressBookTests {
    @Test func recordsKeepFirstAndLastAndOrderMostRecentFirst() {
        var book = AddressBook()
        let added = [
            book.record(.ip, "198.18.10.21", at: 100), book.record(.ip, "198.18.10.57", at: 200),
            book.record(.ip, "198.18.10.21", at: 300),
            book.record(.ip, "198.18.10.21", at: 150),  // inside the known span: nothing changes
        ]
        #expect(added == [true, true, false, false])
        #expect(book.values(.ip) == ["198.18.10.21", "198.18.10.57"])
        let e = book.entries.first { $0.value == "198.18.10.21" }
        #expect(e?.firstSeen == 100 && e?.lastSeen == 300)
    }

    @Test func textFormRoundTripsHostileValues() {
        var book = AddressBook()
        book.record(.mac, "3c:d9:2b:11:22:33", at: 1.5)
        book.record(.hostname, "evil\tname\n100%", at: 2.25)
        let text = book.encoded
        #expect(AddressBook(encoded: text) == book)
        let values = Array(text.utf8).withUnsafeBufferPointer { AddressBook.values(encoded: $0) }
        #expect(values.map(\.value) == ["evil\tname\n100%", "3c:d9:2b:11:22:33"])
        #expect(values.map(\.kind) == [.hostname, .mac])
        #expect(AddressBook(encoded: "garbage\nip\tonly-two-fields\n") == AddressBook())
    }

    @Test func aDHCPLaptopKeepsOnlyTheMostRecentAddressesPerKind() {
        var book = AddressBook()
        for i in 0..<100 { book.record(.ip, "198.18.20.\(i)", at: Double(i)) }
        book.record(.mac, "3c:d9:2b:11:22:33", at: 0)
        #expect(book.values(.ip).count == AddressBook.maxPerKind)
        #expect(book.values(.ip).first == "198.18.20.99")
        #expect(book.values(.mac) == ["3c:d9:2b:11:22:33"])
    }
}
