import Foundation

/// When a scan job runs by itself: every N minutes, once a day after a local time, or only
/// when asked. Pure: the time is always a parameter, so the rule is tested without a clock.
///
/// - every N minutes: due when the job's last run started N minutes ago or more (a job that
///   never ran is due at once);
/// - daily at HH:MM: due once per local day after that time, that is when the first HH:MM
///   after the last run (or, before any run, after the job was made) has passed. A server that
///   was down for days runs the job once when it is back, not once per missed day;
/// - neither: never due (`scan job run` and the console's button only).
///
/// Every run counts, manual ones and failed ones too: a job that fails is tried again at its
/// next time, not at every check of the scheduler.
public struct ScanSchedule: Equatable, Sendable, CustomStringConvertible {
    /// Minutes between runs; 1440 for a daily job at a time; nil for on demand only.
    public var everyMinutes: Int?
    /// The local time of a daily job.
    public var at: TimeOfDay?

    /// The shortest interval: a scan of a campus subnet loads its switches and hosts, and a
    /// typo (`1m` for `1d`) must not scan all day.
    public static let minimumMinutes = 5
    /// The longest interval (a longer one is more likely a mistake than a plan).
    public static let maximumMinutes = 90 * 1440

    public init(everyMinutes: Int? = nil, at: TimeOfDay? = nil) {
        self.everyMinutes = everyMinutes
        self.at = at
    }

    /// `--every 30m|6h|1d` and `--at HH:MM` as typed (either may be nil). `--at` makes a daily
    /// job, with `--every 1d` or without `--every`.
    public static func parse(every: String?, at: String?) throws -> ScanSchedule {
        let minutes = try every.map(parseInterval)
        let time = try at.map { text -> TimeOfDay in
            guard let t = TimeOfDay(text) else {
                throw LedgerError(.invalidInput, "--at '\(text)': a local time HH:MM (00:00 to 23:59)")
            }
            return t
        }
        if let time {
            if let minutes, minutes != 1440 {
                throw LedgerError(
                    .invalidInput, "--at runs the job once a day: give --every 1d or no --every (not \(every ?? ""))")
            }
            return ScanSchedule(everyMinutes: 1440, at: time)
        }
        return ScanSchedule(everyMinutes: minutes)
    }

    /// `30m`, `6h`, `1d` → minutes, within `minimumMinutes...maximumMinutes`.
    public static func parseInterval(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int] = ["m": 1, "h": 60, "d": 1440]
        guard let unit = t.last.flatMap({ units[$0] }), let n = Int(t.dropLast()), n > 0, n <= maximumMinutes
        else {
            throw LedgerError(.invalidInput, "--every '\(text)': a number and m, h or d (30m, 6h, 1d)")
        }
        let minutes = n * unit
        guard (minimumMinutes...maximumMinutes).contains(minutes) else {
            throw LedgerError(
                .invalidInput,
                "--every '\(text)': from \(minimumMinutes) minutes to \(maximumMinutes / 1440) days")
        }
        return minutes
    }

    /// When the job is next due: nil for an on-demand job. A time at or before `now` means due.
    /// `lastStarted` is the start of the job's latest run of any trigger; `created` when the job
    /// was made; the daily time is read in `timeZone`.
    public func nextRun(lastStarted: Date?, created: Date, timeZone: TimeZone) -> Date? {
        if let at {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let reference = lastStarted ?? created
            func slot(onDayOf day: Date) -> Date? {
                calendar.date(
                    bySettingHour: at.hour, minute: at.minute, second: 0, of: calendar.startOfDay(for: day),
                    matchingPolicy: .nextTime, direction: .forward)
            }
            guard let sameDay = slot(onDayOf: reference) else { return nil }
            if sameDay > reference { return sameDay }
            guard let nextDay = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: reference))
            else { return nil }
            return slot(onDayOf: nextDay)
        }
        guard let everyMinutes else { return nil }
        guard let lastStarted else { return created }
        return lastStarted.addingTimeInterval(TimeInterval(everyMinutes * 60))
    }

    /// Whether the job should start now.
    public func isDue(lastStarted: Date?, created: Date, now: Date, timeZone: TimeZone) -> Bool {
        guard let next = nextRun(lastStarted: lastStarted, created: created, timeZone: timeZone) else { return false }
        return next <= now
    }

    /// `every 6h`, `daily at 02:00`, `on demand`.
    public var description: String {
        if let at { return "daily at \(at)" }
        guard let m = everyMinutes else { return "on demand" }
        return "every " + Self.intervalText(m)
    }

    /// Minutes as typed: `1d`, `6h`, `90m`.
    public static func intervalText(_ minutes: Int) -> String {
        if minutes % 1440 == 0 { return "\(minutes / 1440)d" }
        if minutes % 60 == 0 { return "\(minutes / 60)h" }
        return "\(minutes)m"
    }
}

/// A local time of day, `HH:MM`.
public struct TimeOfDay: Equatable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        (self.hour, self.minute) = (hour, minute)
    }

    /// `02:00`, `2:00`, `23:59`.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let h = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        self.init(hour: h, minute: m)
    }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
