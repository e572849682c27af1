import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

@Suite struct ISODateTests {
    @Test func licenceDaysAreASCIIDigitsFixedWidthsAndRealDays() {
        for s in ["2026-12-01", "2024-02-29", "1999-12-31"] { #expect(LicenseFile.isDay(s), "\(s)") }
        for s in [
            "2026-12-+1", "2026-1-01", " 2026-12-01", "2026-12-01 ", "2026-02-29", "2026-13-01", "2026-00-10",
            "2026-12-00", "+026-12-01", "２０２６-12-01", "2026/12/01", "2026-12-1",
        ] {
            #expect(!LicenseFile.isDay(s), "\(s)")
        }
    }

    @Test func theFastPathAgreesWithFoundation() throws {
        for s in ["2026-11-20T09:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T12:00:00.250Z", "1970-01-01T00:00:00Z"] {
            let foundation = try Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: s.contains(".")))
            #expect(ISODate.fast(s) == foundation, "\(s)")
        }
        for s in ["2026-13-20T09:00:00Z", "2026-11-20 09:00:00", "2026-11-20T09:00:00+08:00", "20261120T090000Z", "x"] {
            #expect(ISODate.fast(s) == nil, "\(s)")
        }
        #expect(ISODate.parse("2026-11-20T09:00:00+08:00") == ISODate.parse("2026-11-20T01:00:00Z"))
    }
}
