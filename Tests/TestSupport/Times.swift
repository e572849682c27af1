import Foundation

/// The tests' epoch: observations are dated minutes after it.
public let t0 = Date(timeIntervalSince1970: 1_790_000_000)

/// `minutes` after `t0`.
public func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
