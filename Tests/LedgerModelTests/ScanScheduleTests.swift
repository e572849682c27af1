import Foundation
import LedgerModel
import Testing

/// When a scan job is due: the schedule rule with the time as a parameter.
@Suite struct ScanScheduleTests {
    /// Beijing: no daylight saving, so local times are UTC+8 all year.
    static let beijing = TimeZone(identifier: "Asia/Shanghai")!

    /// A local time in Beijing.
    static func local(_ text: String) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = beijing
        let f = DateFormatter()
        f.calendar = c
        f.timeZone = beijing
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    @Test func anIntervalJobIsDueWhenItsLastRunStartedThatLongAgo() throws {
        let every6h = try ScanSchedule.parse(every: "6h", at: nil)
        #expect(every6h == ScanSchedule(everyMinutes: 360))
        let created = Self.local("2026-03-01 08:00")
        let tz = Self.beijing
        // Never ran: due at once.
        #expect(every6h.isDue(lastStarted: nil, created: created, now: created, timeZone: tz))
        let last = Self.local("2026-03-01 09:00")
        #expect(!every6h.isDue(lastStarted: last, created: created, now: Self.local("2026-03-01 14:59"), timeZone: tz))
        #expect(every6h.isDue(lastStarted: last, created: created, now: Self.local("2026-03-01 15:00"), timeZone: tz))
        #expect(every6h.nextRun(lastStarted: last, created: created, timeZone: tz) == Self.local("2026-03-01 15:00"))
        #expect(every6h.description == "every 6h")
        #expect(try ScanSchedule.parse(every: "30m", at: nil).everyMinutes == 30)
        #expect(try ScanSchedule.parse(every: "1d", at: nil).everyMinutes == 1440)
    }

    @Test func aDailyJobIsDueOncePerDayAfterItsLocalTime() throws {
        let daily = try ScanSchedule.parse(every: nil, at: "02:00")
        #expect(daily.description == "daily at 02:00")
        #expect(try ScanSchedule.parse(every: "1d", at: "2:00") == daily)
        let tz = Self.beijing
        // Made in the afternoon: not due that evening, due from 02:00 the next night.
        let created = Self.local("2026-03-01 15:00")
        #expect(!daily.isDue(lastStarted: nil, created: created, now: Self.local("2026-03-01 23:59"), timeZone: tz))
        #expect(!daily.isDue(lastStarted: nil, created: created, now: Self.local("2026-03-02 01:59"), timeZone: tz))
        #expect(daily.isDue(lastStarted: nil, created: created, now: Self.local("2026-03-02 02:00"), timeZone: tz))
        // Ran at 02:00:30: not again that day, due again at 02:00 the day after.
        let ran = Self.local("2026-03-02 02:00").addingTimeInterval(30)
        for now in ["2026-03-02 02:01", "2026-03-02 12:00", "2026-03-03 01:59"] {
            #expect(!daily.isDue(lastStarted: ran, created: created, now: Self.local(now), timeZone: tz), "\(now)")
        }
        #expect(daily.isDue(lastStarted: ran, created: created, now: Self.local("2026-03-03 02:00"), timeZone: tz))
        // A run before 02:00 (by hand at 01:00) does not take that night's run.
        let byHand = Self.local("2026-03-03 01:00")
        #expect(daily.isDue(lastStarted: byHand, created: created, now: Self.local("2026-03-03 02:05"), timeZone: tz))
        // Down for three days: due once when back, then not before the next 02:00.
        let back = Self.local("2026-03-06 10:00")
        #expect(daily.isDue(lastStarted: ran, created: created, now: back, timeZone: tz))
        #expect(daily.nextRun(lastStarted: back, created: created, timeZone: tz) == Self.local("2026-03-07 02:00"))
        // The time is local: 02:00 in Beijing is 18:00 UTC the day before.
        #expect(
            daily.nextRun(lastStarted: ran, created: created, timeZone: tz)
                == Date(timeIntervalSince1970: ran.timeIntervalSince1970 - 30 + 86_400))
        let utc = TimeZone(identifier: "UTC")!
        #expect(!daily.isDue(lastStarted: ran, created: created, now: Self.local("2026-03-02 09:59"), timeZone: utc))
        #expect(daily.isDue(lastStarted: ran, created: created, now: Self.local("2026-03-02 10:00"), timeZone: utc))
    }

    @Test func anOnDemandJobIsNeverDue() throws {
        let manual = try ScanSchedule.parse(every: nil, at: nil)
        #expect(manual.description == "on demand")
        #expect(
            manual.nextRun(lastStarted: nil, created: Self.local("2026-03-01 08:00"), timeZone: Self.beijing) == nil)
        #expect(
            !manual.isDue(
                lastStarted: nil, created: Self.local("2026-03-01 08:00"), now: Self.local("2027-03-01 08:00"),
                timeZone: Self.beijing))
    }

    @Test func badIntervalsAndTimesAreRefused() {
        for every in ["6", "h", "0h", "-1h", "1m", "4m", "91d", "1w", "1.5h", "6 hours"] {
            #expect(throws: LedgerError.self, "\(every)") { try ScanSchedule.parse(every: every, at: nil) }
        }
        for at in ["24:00", "2", "02:60", "0200", "02:0", "aa:bb", "02:00:00", "١٢:٠٠"] {
            #expect(throws: LedgerError.self, "\(at)") { try ScanSchedule.parse(every: nil, at: at) }
        }
        // A daily time runs once a day: with another interval it is a contradiction.
        #expect(throws: LedgerError.self) { try ScanSchedule.parse(every: "6h", at: "02:00") }
        #expect(throws: Never.self) { try ScanSchedule.parse(every: "5m", at: nil) }
        #expect(throws: Never.self) { try ScanSchedule.parse(every: "90d", at: nil) }
    }
}
