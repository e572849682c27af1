import Foundation
import LedgerModel

/// Reads the manufacturer dictionary (scanners/manufacturers.tsv): tab-separated, `#`
/// comments, header `maker name_zh domestic role aliases pattern note`. One line per maker:
/// its canonical name (unique), Chinese name, `domestic` yes/no (国产), `role` (`maker`,
/// `component`, `virtual`, `software`), `aliases` separated by `|` (whole words at the start of
/// the raw string, case-insensitive; `!alias` says "not this maker"), and `pattern`, an optional
/// case-insensitive regular expression for names where the maker is not at the start. The
/// canonical and Chinese names are aliases too. An alias two lines give (after normalization)
/// is refused: which maker it names would depend on the order. Every refusal is `FILE:LINE: reason`.
public enum ManufacturerFile {
    public static let header = ["maker", "name_zh", "domestic", "role", "aliases", "pattern", "note"]

    public static func read(_ data: Data, file: String) throws -> [ManufacturerEntry] {
        var entries: [ManufacturerEntry] = []
        var makers: [String: Int] = [:]
        var aliasLines: [String: (line: Int, maker: String)] = [:]
        for row in try TabTable.rows(data, file: file, headers: [header], what: "manufacturer dictionary") {
            let f = row.fields
            func fail(_ reason: String) -> InputError { row.fail(reason) }
            let name = f[0]
            guard !name.isEmpty else { throw fail("empty maker") }
            guard !ManufacturerDictionary.normalize(name).isEmpty else {
                throw fail("maker '\(name)' has no letter or digit")
            }
            if let line = makers[name.lowercased()] { throw fail("maker '\(name)' is already on line \(line)") }
            makers[name.lowercased()] = row.line
            let domestic: Bool
            switch f[2].lowercased() {
            case "yes", "y", "是": domestic = true
            case "no", "n", "否": domestic = false
            default: throw fail("domestic must be yes or no, got '\(f[2])'")
            }
            guard let role = ManufacturerRole(rawValue: f[3].lowercased()) else {
                throw fail(
                    "unknown role '\(f[3])' (\(ManufacturerRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var aliases: [String] = []
            var exclusions: [String] = []
            for part in f[4].split(separator: "|", omittingEmptySubsequences: false) {
                var alias = part.trimmingCharacters(in: .whitespaces)
                let exclusion = alias.hasPrefix("!")
                if exclusion { alias = String(alias.dropFirst()).trimmingCharacters(in: .whitespaces) }
                if alias.isEmpty {
                    guard f[4].isEmpty else { throw fail("empty alias in '\(f[4])'") }
                    continue
                }
                guard !ManufacturerDictionary.normalize(alias).isEmpty else {
                    throw fail("alias '\(alias)' has no letter or digit")
                }
                if exclusion { exclusions.append(alias) } else { aliases.append(alias) }
            }
            let zh = f[1].isEmpty ? name : f[1]
            // Every alias (names included) names one maker only.
            var own = Set<String>()
            for (alias, exclusion) in ([name, zh] + aliases).map({ ($0, false) }) + exclusions.map({ ($0, true) }) {
                let key = ManufacturerDictionary.normalize(alias)
                if let other = aliasLines[key] {
                    throw fail("alias '\(alias)' already names \(other.maker) on line \(other.line)")
                }
                guard own.insert(key).inserted || !exclusion else {
                    throw fail("'!\(alias)' excludes an alias of the same maker")
                }
            }
            for key in own { aliasLines[key] = (row.line, name) }
            var pattern: NSRegularExpression?
            if !f[5].isEmpty {
                do { pattern = try NSRegularExpression(pattern: f[5], options: [.caseInsensitive]) } catch {
                    throw fail("bad pattern '\(f[5])'")
                }
            }
            entries.append(
                ManufacturerEntry(
                    manufacturer: Manufacturer(name: name, nameZH: zh, domestic: domestic, role: role),
                    aliases: aliases, exclusions: exclusions, pattern: pattern, origin: row.origin))
        }
        return entries
    }
}

/// Reads the domestic-share targets (scanners/domestic-targets.tsv): tab-separated, `#`
/// comments, header `measure category from_year target note`. `measure` is `installs`,
/// `spend` or `devices`; `category` a software category (installs, spend: `os_pc` ... `tool`)
/// or a device class (devices: `pc`, `printer` ...), or `all` for the measure's total;
/// `from_year` the first year the target applies to (it holds until a later row); `target` a
/// percentage (`60%`, `72.5%`). The same measure, category and year twice is refused.
public enum DomesticTargetsFile {
    public static let header = ["measure", "category", "from_year", "target", "note"]

    public static func read(_ data: Data, file: String) throws -> [DomesticTarget] {
        var out: [DomesticTarget] = []
        var seen: [String: Int] = [:]
        for row in try TabTable.rows(data, file: file, headers: [header], what: "target table") {
            let f = row.fields
            func fail(_ reason: String) -> InputError { row.fail(reason) }
            guard let measure = DomesticMeasure(rawValue: f[0].lowercased()) else {
                throw fail(
                    "unknown measure '\(f[0])' (\(DomesticMeasure.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let allowed = DomesticTargets.categories(measure)
            let category = f[1].lowercased()
            guard allowed.contains(category) else {
                throw fail("unknown category '\(f[1])' for \(measure.rawValue) (\(allowed.joined(separator: ", ")))")
            }
            guard f[2].count == 4, f[2].allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(f[2]),
                (2000...2100).contains(year)
            else { throw fail("from_year '\(f[2])' is not a year 2000...2100") }
            let text = f[3]
            guard text.hasSuffix("%"), let percent = Double(text.dropLast()),
                text.dropLast().allSatisfy({
                    $0.isASCII && ($0.isNumber || $0 == ".")
                }), (0...100).contains(percent)
            else { throw fail("target '\(text)' is not a percentage 0%...100%") }
            let key = "\(measure.rawValue)\t\(category)\t\(year)"
            if let line = seen[key] {
                throw fail("\(measure.rawValue) \(category) from \(year) is already on line \(line)")
            }
            seen[key] = row.line
            out.append(
                DomesticTarget(
                    measure: measure, category: category, fromYear: year, share: percent / 100, origin: row.origin))
        }
        return out
    }
}

/// Reads the OS name table (scanners/os-names.tsv): `pattern name note`, tab-separated, `#`
/// comments; a pattern that is no regular expression is refused with its line.
public enum OSNameFile {
    public static let header = ["pattern", "name", "note"]

    public static func read(_ data: Data, file: String) throws -> OSNames {
        var entries: [OSNames.Entry] = []
        for row in try TabTable.rows(data, file: file, headers: [header], what: "OS name table") {
            let f = row.fields
            guard !f[0].isEmpty, !f[1].isEmpty else { throw row.fail("pattern and name are required") }
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: f[0], options: [.caseInsensitive]) } catch {
                throw row.fail("bad regex '\(f[0])'")
            }
            entries.append(OSNames.Entry(pattern: regex, template: f[1], origin: row.origin))
        }
        return OSNames(entries: entries)
    }
}
