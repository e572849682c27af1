import Foundation
import Testing

@testable import LedgerApp

/// `isoDate` writes what Foundation's ISO8601FormatStyle writes, to the second, for every date a
/// ledger holds: before and after 1970, leap days, the ends of years and of the range.
@Suite struct ISODateFormatTests {
    static func foundation(_ d: Date) -> String { d.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }

    @Test func itWritesWhatFoundationWrites() {
        let fixed: [Double] = [
            0, -1, 1, 86_399, 86_400, -86_400, -86_401, 951_782_400, 951_868_799.999, 1_790_000_000.75,
            1_709_164_800, 4_107_542_399, -2_208_988_800, -11_676_096_000, 253_402_300_799, 1_000_000_000.000_1,
        ]
        for t in fixed {
            let d = Date(timeIntervalSince1970: t)
            #expect(isoDate(d) == Self.foundation(d), "\(t)")
        }
        // Just below a whole second, as Date keeps it (counted from 2001, not 1970).
        for r in [Double(100).nextDown, Double(815_000_000).nextDown, Double(-1).nextDown, Double(0).nextDown] {
            let d = Date(timeIntervalSinceReferenceDate: r)
            #expect(isoDate(d) == Self.foundation(d), "\(r)")
        }
        // Random dates over four centuries, fractions of a second included (a fixed seed).
        var state: UInt64 = 0x2026_1201
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = Double(Int64(bitPattern: state >> 1) % 12_600_000_000) - 3_000_000_000 + Double(state & 1023) / 1024
            let d = Date(timeIntervalSince1970: t)
            #expect(isoDate(d) == Self.foundation(d), "\(t)")
        }
        #expect(isoDate(Date(timeIntervalSince1970: 1_790_000_000)) == "2026-09-21T14:13:20Z")
    }

    @Test func datesBefore1600AndAfter9999GoThroughFoundation() {
        for t in [-62_135_596_801.0, -62_135_596_800, -12_219_292_800, -11_676_096_001, 253_402_300_800, 1e15] {
            let d = Date(timeIntervalSince1970: t)
            #expect(isoDate(d) == Self.foundation(d), "\(t)")
        }
    }
}
