import Foundation
import Testing

@testable import LedgerModel

/// Whole numbers from doubles that may be of no sensible size (dates of no time, hostile input).
@Suite struct FiniteNumbersTests {
    // Ages of hostile dates trapped: whole days clamp to Int, and are nil when not finite.
    @Test func wholeDaysAreClampedAndNilWhenNotFinite() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(now.wholeDays(since: now.addingTimeInterval(-3 * 86_400 - 5)) == 3)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: 1e300)) == Int.min)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: -1e300)) == Int.max)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: .infinity)) == nil)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: .nan)) == nil)
        #expect(Int(finiteClamping: 0x1p63) == Int.max && Int(finiteClamping: -0x1p63) == Int.min)
        #expect(Int(finiteClamping: -2.9) == -2)
    }
}
