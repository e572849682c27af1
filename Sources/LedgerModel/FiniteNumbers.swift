import Foundation

extension Int {
    /// `value` truncated toward zero and clamped to `Int.min...Int.max`; nil when it is NaN or
    /// infinite. `Int(value)` traps on all three, and numbers derived from dates and figures in
    /// imported files can be any of them (`"definitionsUpdated":"1e300"`).
    public init?(finiteClamping value: Double) {
        guard value.isFinite else { return nil }
        if value >= 0x1p63 {
            self = .max
        } else if value < -0x1p63 {
            self = .min
        } else {
            self = Int(value)
        }
    }
}

extension Date {
    /// Whole days from `earlier` to this date (negative when `earlier` is later), clamped to
    /// `Int`; nil when either date is no point in time (NaN or infinite).
    public func wholeDays(since earlier: Date) -> Int? {
        Int(finiteClamping: timeIntervalSince(earlier) / 86_400)
    }
}
