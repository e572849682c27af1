import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// Turns the bytes of a file from outside into text: UTF-8 with or without a byte-order mark,
/// or GB18030 (what Chinese Excel writes as "CSV"). Decoding is strict: bytes that are neither
/// are refused with the place of the first bad byte, never replaced silently.
public enum TextDecoding {
    public enum Encoding: String, Sendable { case utf8, utf8BOM = "utf8-bom", gb18030 }

    public static func decode(_ data: Data, file: String) throws -> (text: String, encoding: Encoding) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if data.starts(with: bom) {
            guard let text = String(validating: data.dropFirst(3), as: UTF8.self) else {
                throw InputError(
                    file: file, line: lineOf(invalidUTF8In: data), reason: "invalid UTF-8 after a UTF-8 byte-order mark"
                )
            }
            return (text, .utf8BOM)
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw InputError(file: file, line: 1, reason: "UTF-16 text is not supported; save as UTF-8 CSV")
        }
        if let text = String(validating: data, as: UTF8.self) { return (text, .utf8) }
        if var text = try gb18030(data) {
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // GB18030's own byte-order mark
            return (text, .gb18030)
        }
        throw InputError(
            file: file, line: lineOf(invalidUTF8In: data),
            reason: "text is neither UTF-8 nor GB18030")
    }

    /// Strict GB18030 → String through the C library's iconv; nil when the bytes are not GB18030.
    static func gb18030(_ data: Data) throws -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else {
            throw LedgerError(.io, "this system's iconv cannot read GB18030")
        }
        defer { iconv_close(cd) }
        var input = [UInt8](data)
        // GB18030 uses at most 4 bytes per character and UTF-8 at most 4, and a 1-byte ASCII
        // character stays 1 byte, a 2-byte GB character becomes at most 3: twice is enough.
        var output = [UInt8](repeating: 0, count: input.count * 2 + 4)
        let written: Int? = input.withUnsafeMutableBytes { inBuf in
            output.withUnsafeMutableBytes { outBuf in
                var inPtr = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return r == -1 || inLeft != 0 ? nil : outBuf.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output[..<written], as: UTF8.self)
    }

    /// The 1-based line of the first byte that is not valid UTF-8.
    static func lineOf(invalidUTF8In data: Data) -> Int {
        let bytes = [UInt8](data)
        var line = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let need: Int
            switch b {
            case 0x00...0x7F: need = 0
            case 0xC2...0xDF: need = 1
            case 0xE0...0xEF: need = 2
            case 0xF0...0xF4: need = 3
            default: return line
            }
            if i + need >= bytes.count + (need == 0 ? 1 : 0) { return line }
            for k in stride(from: 1, through: need, by: 1) where !(0x80...0xBF).contains(bytes[i + k]) {
                return line
            }
            if b == 0x0A { line += 1 }
            i += need + 1
        }
        return line
    }
}

/// Lines of a text whatever its line ends. (`"\r\n"` is one Character in Swift, so splitting
/// on `"\n"` leaves a Windows file in one piece.)
public enum TextLines {
    public static func split(_ text: String) -> [Substring] {
        // The same cut as splitting the Characters "\n", "\r\n" and "\r", done on bytes: a CR
        // or LF is always a Character of its own (or CR LF together), never part of another.
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == 0x0A || b == 0x0D {
                lines.append(text[start..<i])
                var next = utf8.index(after: i)
                if b == 0x0D, next < utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                start = next
                i = next
            } else {
                i = utf8.index(after: i)
            }
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }
}
