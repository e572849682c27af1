import Foundation
import LedgerModel

/// Reads observations as JSON Lines: one `Observation` object per line (the shape documented
/// in docs/SCHEMA.md). This is how a remote sensor or another tool hands observations over.
public enum ObservationFile {
    /// Longest accepted line, to keep memory bounded on hostile input.
    public static let maxLineLength = 1 << 20

    public static func read(_ data: Data, file: String) throws -> [Observation] {
        let decoder = makeDecoder()
        var out: [Observation] = []
        var lineNumber = 0
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if let o = try decodeLine(line, number: lineNumber, file: file, decoder: decoder) { out.append(o) }
        }
        return out
    }

    /// The decoder every observation line goes through (dates: ISO 8601 only).
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { d in
            let c = try d.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISODate.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not an ISO 8601 date")
            }
            return date
        }
        return decoder
    }

    /// One line: nil when blank, else the observation or an `InputError` naming the line.
    static func decodeLine<Bytes: Collection<UInt8>>(
        _ line: Bytes, number: Int, file: String, decoder: JSONDecoder
    ) throws -> Observation? {
        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return nil }
        guard line.count <= maxLineLength else {
            throw InputError(file: file, line: number, reason: "line longer than \(maxLineLength) bytes")
        }
        do {
            return try decoder.decode(Observation.self, from: Data(line))
        } catch let error as DecodingError {
            throw InputError(file: file, line: number, reason: describe(error))
        } catch {
            throw InputError(file: file, line: number, reason: "not a JSON object: \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at '\(p)'"
        }
        switch error {
        case .keyNotFound(let key, let c): return "missing field '\(key.stringValue)'\(path(c))"
        case .typeMismatch(_, let c): return "wrong type\(path(c)): \(c.debugDescription)"
        case .valueNotFound(_, let c): return "null value\(path(c))"
        case .dataCorrupted(let c): return "invalid value\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// Observation JSON Lines read from a file batch by batch, for a merge whose memory must not
/// grow with the file: the file is read in 1 MiB chunks, a line longer than
/// `ObservationFile.maxLineLength` is refused, and every refusal names its line. The next
/// batches are read and decoded on a thread of their own (at most `prefetch` ahead) while the
/// caller merges the current one.
public final class ObservationStream {
    public static let defaultBatch = 5_000

    public let file: String
    public let batchSize: Int
    private let queue: BatchQueue

    public init(path: String, batchSize: Int = ObservationStream.defaultBatch, prefetch: Int = 2) throws {
        let lines = try ObservationLines(path: path, batchSize: max(1, batchSize))
        file = path
        self.batchSize = max(1, batchSize)
        queue = BatchQueue(depth: max(1, prefetch))
        let (queue, reader) = (queue, UncheckedBox(lines))
        Thread.detachNewThread {
            while true {
                let result = Result { try reader.value.next() }
                guard queue.put(result) else { return }
                switch result {
                case .success(nil), .failure: return
                case .success: continue
                }
            }
        }
    }

    deinit { queue.cancel() }

    /// The next batch of up to `batchSize` observations, nil at the end of the file.
    public func next() throws -> [Observation]? { try queue.take().get() }
}

/// The hand-over between the reading thread and the merge: at most `depth` batches wait.
private final class BatchQueue: @unchecked Sendable {
    typealias Item = Result<[Observation]?, any Error>
    private let condition = NSCondition()
    private var items: [Item] = []
    /// The end (nil) or the error, given again to every later `take`.
    private var last: Item?
    private var cancelled = false
    private let depth: Int

    init(depth: Int) { self.depth = depth }

    /// False when the reader is no longer wanted.
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        if let last { return last }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        switch item {
        case .success(nil), .failure: last = item
        case .success: break
        }
        condition.broadcast()
        return item
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The reading itself: chunks, lines, one decoder (used by one thread at a time).
final class ObservationLines {
    static let chunk = 1 << 20

    let file: String
    let batchSize: Int
    private let handle: FileHandle
    private let decoder = ObservationFile.makeDecoder()
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts.
    private var start = 0
    private var atEnd = false
    private var lineNumber = 0
    private var first = true

    init(path: String, batchSize: Int) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, line: nil, reason: "cannot read file")
        }
        self.handle = handle
        self.file = path
        self.batchSize = batchSize
    }

    deinit { try? handle.close() }

    func next() throws -> [Observation]? {
        var out: [Observation] = []
        out.reserveCapacity(batchSize)
        while out.count < batchSize, let range = try nextLine() {
            lineNumber += 1
            let line = buffer[range]
            if let o = try ObservationFile.decodeLine(line, number: lineNumber, file: file, decoder: decoder) {
                out.append(o)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The next line's bytes in `buffer` (without its LF), nil at the end.
    private func nextLine() throws -> Range<Int>? {
        var searched = start
        while true {
            if let lf = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = lf + 1 }
                return start..<lf
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return start..<buffer.count
            }
            guard buffer.count - start <= ObservationFile.maxLineLength else {
                throw InputError(
                    file: file, line: lineNumber + 1, reason: "line longer than \(ObservationFile.maxLineLength) bytes")
            }
            // Keep the unread part, then append a chunk.
            buffer.removeSubrange(0..<start)
            start = 0
            searched = buffer.count
            let more: Data
            do { more = try handle.read(upToCount: Self.chunk) ?? Data() } catch {
                throw InputError(file: file, line: nil, reason: "cannot read file: \(error.localizedDescription)")
            }
            if more.isEmpty { atEnd = true }
            buffer.append(contentsOf: more)
            if first {
                first = false
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
            }
        }
    }
}

/// ISO 8601 dates as the ledger writes and reads them (UTC, optional fractional seconds).
public enum ISODate {
    public static func parse(_ s: String) -> Date? {
        if let d = fast(s) { return d }
        if let d = try? Date(s, strategy: .iso8601) { return d }
        return try? Date(
            s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension ISODate {
    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z` read by hand: the form collectors write, hundreds per
    /// report (Foundation's parser costs microseconds each). Anything else: nil.
    static func fast(_ s: String) -> Date? {
        var utf8 = s.utf8.makeIterator()
        var digits: [Int] = []
        digits.reserveCapacity(6)
        var value = 0
        var count = 0
        var fraction = 0.0
        var scale = 0.1
        var inFraction = false
        var sawZ = false
        let separators: [UInt8] = [45, 45, 84, 58, 58]  // - - T : :
        while let b = utf8.next() {
            if sawZ { return nil }
            switch b {
            case 48...57:
                // More digits than the form has: not this form (and no overflow of `value`).
                if count >= 14 && !inFraction { return nil }
                if inFraction {
                    fraction += Double(b - 48) * scale
                    scale /= 10
                } else {
                    value = value * 10 + Int(b - 48)
                    count += 1
                }
            case 46 where digits.count == 5 && !inFraction:  // .
                digits.append(value)
                inFraction = true
            case 90, 122:  // Z z
                if !inFraction { digits.append(value) }
                sawZ = true
            default:
                guard digits.count < separators.count, b == separators[digits.count] || (digits.count == 2 && b == 116)
                else { return nil }
                digits.append(value)
                value = 0
            }
        }
        guard sawZ, digits.count == 6, count == 14 else { return nil }
        let (y, m, d, hh, mm, ss) = (digits[0], digits[1], digits[2], digits[3], digits[4], digits[5])
        guard (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 61 else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + hh * 3600 + mm * 60 + ss) + fraction)
    }
}
