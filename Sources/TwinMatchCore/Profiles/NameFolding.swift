import Foundation

// Place names as people type them: one folded form ("key") under which München, Munchen, MÜNCHEN and
// "münchen " all meet, and a second key for the German way of writing umlauts without them (Muenchen,
// Zuerich, Goeteborg; å as aa: Aarhus = Århus). Both sides of a lookup are folded the same way, so a name
// matches when any key of the query is a key of the place.

/// The main key of a name: lower case, without diacritics, ß as ss, ø/æ/œ/ł/đ/þ as o/ae/oe/l/d/th, and
/// without spaces, hyphens, apostrophes and other punctuation ("Aix-en-Provence" → "aixenprovence").
/// Letters of other scripts are kept (lower-cased, without combining marks). Empty when the name has no
/// letter or digit.
public func foldName(_ s: String) -> String { NameFolding.keys(s).plain }

/// The keys of a name: its main key, and the key with ä/ö/ü/ø written ae/oe/ue/oe and å written aa when
/// that differs (München → munchen, muenchen). Empty when the name has no letter or digit.
public func nameKeys(_ s: String) -> [String] {
    let (plain, expanded) = NameFolding.keys(s)
    if plain.isEmpty { return [] }
    return expanded == plain ? [plain] : [plain, expanded]
}

/// The names a main name stands for: itself, and for a bilingual GeoNames name written with a slash
/// ("Biel/Bienne", "Bozen/Bolzano"-style) each of its parts.
public func mainNameParts(_ name: String) -> [String] {
    guard name.contains("/") else { return [name] }
    return [name] + name.split(separator: "/").map { trimSpaces($0) }.filter { !$0.isEmpty }
}

enum NameFolding {
    /// Letters that have no canonical decomposition but are commonly typed as plain Latin letters.
    static let special: [Unicode.Scalar: String] = [
        "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
        "ħ": "h", "ŧ": "t", "ŀ": "l", "ĳ": "ij", "ſ": "s", "ς": "σ",
    ]
    /// Modifier letters that are apostrophes in practice (ʻOkina, ʼ, ʾ ʿ of transliterations).
    static let apostrophes: Set<Unicode.Scalar> = ["\u{02B9}", "\u{02BA}", "\u{02BB}", "\u{02BC}", "\u{02BD}", "\u{02BE}", "\u{02BF}", "\u{02C8}"]

    /// Both keys of `s`: plain, and with umlauts expanded, a scalar at a time (`entry`); a name with a
    /// scalar `entry` does not cover takes the general path (`generalKeys`), which gives the same keys for
    /// the scalars it covers (the tests check both on random names).
    static func keys(_ s: String) -> (plain: String, expanded: String) {
        var plain: [UInt8] = [], expanded: [UInt8] = []
        plain.reserveCapacity(s.utf8.count)
        var last: Unicode.Scalar?
        var differs = false
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                switch v {
                case 0x41...0x5A: plain.append(UInt8(v + 32)); last = Unicode.Scalar(UInt8(v + 32))
                case 0x61...0x7A, 0x30...0x39: plain.append(UInt8(v)); last = u
                default: last = nil; continue
                }
                if differs { expanded.append(plain[plain.count - 1]) }
                continue
            }
            guard let e = entry(v) else { return generalKeys(s) }
            if e.isMark {
                if let l = last {
                    let more: UInt8? = v == 0x0308 && (l == "a" || l == "o" || l == "u") ? UInt8(ascii: "e") : v == 0x030A && l == "a" ? UInt8(ascii: "a") : nil
                    if let more {
                        if !differs { expanded = plain; differs = true }
                        expanded.append(more)
                    }
                }
                last = nil
                continue
            }
            if !differs && e.plain != e.expanded { expanded = plain; differs = true }
            plain.append(contentsOf: e.plain)
            if differs { expanded.append(contentsOf: e.expanded) }
            last = e.last
        }
        let key = String(decoding: plain, as: UTF8.self)
        return (key, differs ? String(decoding: expanded, as: UTF8.self) : key)
    }

    /// How one scalar folds: its plain and expanded letters (UTF-8), whether it is a combining mark, and the
    /// letter a following diaeresis or ring would expand.
    struct Entry {
        let plain: [UInt8], expanded: [UInt8]
        let isMark: Bool
        let last: Unicode.Scalar?
    }

    /// Scalars below this are folded from `blocks` (Latin, Greek, Cyrillic, Hebrew, Arabic, the Indic and
    /// Southeast Asian scripts, Georgian, kana…).
    static let tableEnd: UInt32 = 0x3100
    static let blockSize: UInt32 = 128
    /// Blocks of `blockSize` entries, each computed from the general path on first use.
    static let blocks = Locked([[Entry]?](repeating: nil, count: Int(tableEnd / blockSize)))

    static func block(_ b: Int) -> [Entry] {
        blocks.withLock { all in
            if let done = all[b] { return done }
            let start = UInt32(b) * blockSize
            let made = (start..<start + blockSize).map(makeEntry)
            all[b] = made
            return made
        }
    }

    static func makeEntry(_ v: UInt32) -> Entry {
        guard let u = Unicode.Scalar(v) else { return Entry(plain: [], expanded: [], isMark: false, last: nil) }
        let category = u.properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark { return Entry(plain: [], expanded: [], isMark: true, last: nil) }
        let r = fold(String(u).decomposedStringWithCanonicalMapping.unicodeScalars)
        return Entry(plain: Array(String(r.plain).utf8), expanded: Array(String(r.expanded).utf8), isMark: false, last: r.last)
    }

    /// The entry of scalar `v`: from `blocks`, CJK ideographs as themselves (no case, no decomposition),
    /// Hangul syllables as their jamo (the canonical decomposition, by arithmetic); nil for anything else.
    static func entry(_ v: UInt32) -> Entry? {
        if v < tableEnd { return block(Int(v / blockSize))[Int(v % blockSize)] }
        if (0x3400..<0x4DC0).contains(v) || (0x4E00..<0xA000).contains(v), let u = Unicode.Scalar(v) {
            return Entry(plain: Array(String(u).utf8), expanded: Array(String(u).utf8), isMark: false, last: u)
        }
        if (0xAC00..<0xAC00 + 11172).contains(v) {
            let index = v - 0xAC00
            var jamo = [0x1100 + index / 588, 0x1161 + (index % 588) / 28]
            if index % 28 != 0 { jamo.append(0x11A7 + index % 28) }
            let bytes = jamo.compactMap(Unicode.Scalar.init).flatMap { Array(String($0).utf8) }
            return Entry(plain: bytes, expanded: bytes, isMark: false, last: Unicode.Scalar(jamo[jamo.count - 1]))
        }
        return nil
    }

    /// Both keys of `s` through Foundation's canonical decomposition of the whole name.
    static func generalKeys(_ s: String) -> (plain: String, expanded: String) {
        let r = fold(s.decomposedStringWithCanonicalMapping.unicodeScalars)
        return (String(r.plain), String(r.expanded))
    }

    /// Folds decomposed scalars: lower-cased, marks dropped (a diaeresis or ring expanding the letter before
    /// it in `expanded`), special letters mapped, anything but letters and digits dropped.
    static func fold(_ scalars: String.UnicodeScalarView) -> (plain: String.UnicodeScalarView, expanded: String.UnicodeScalarView, last: Unicode.Scalar?) {
        var plain = String.UnicodeScalarView(), expanded = String.UnicodeScalarView()
        // The last letter written, so that a following diaeresis or ring can expand it (a + ̈ → ae).
        var last: Unicode.Scalar?
        func add(_ u: Unicode.Scalar) {
            switch u.properties.generalCategory {
            case .nonspacingMark, .enclosingMark:
                if let l = last {
                    if u == "\u{0308}", l == "a" || l == "o" || l == "u" { expanded.append("e") }
                    if u == "\u{030A}", l == "a" { expanded.append("a") }
                }
                last = nil
            case .modifierLetter where apostrophes.contains(u):
                last = nil
            case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber, .spacingMark:
                if let mapped = special[u] {
                    plain.append(contentsOf: mapped.unicodeScalars)
                    expanded.append(contentsOf: (u == "ø" ? "oe" : mapped).unicodeScalars)
                } else {
                    plain.append(u)
                    expanded.append(u)
                }
                last = u
            default:
                last = nil
            }
        }
        for u in scalars {
            if u.properties.changesWhenLowercased {
                for l in u.properties.lowercaseMapping.unicodeScalars { add(l) }
            } else {
                add(u)
            }
        }
        return (plain, expanded, last)
    }
}

/// The alternate names a dataset keeps for a place, from GeoNames' list (translations, former and local
/// names, transliterations).
public enum AlternateNames {
    /// At most this many names per place (the largest cities list over 100).
    public static let limit = 40

    /// `raw` made compact: names that fold like the main name or like a name already kept are dropped, as
    /// are three-letter codes in capitals (airport codes such as MUC), romanisations GeoNames writes in
    /// lower case ("mu ni hei"), names with a `;` (the list separator) or control characters, and names
    /// with no letter; at most `limit` are kept, in GeoNames' order. Latin and other scripts alike.
    public static func compact(_ raw: [String], mainName: String, limit: Int = limit) -> [String] {
        var covered = Set(mainNameParts(mainName).flatMap(nameKeys))
        var out: [String] = []
        for item in raw {
            guard out.count < limit else { break }
            let name = trimSpaces(item)
            guard !name.isEmpty, problem(name) == nil, !isCode(name), !isLowerCaseRomanisation(name) else { continue }
            let keys = nameKeys(name)
            guard !keys.allSatisfy(covered.contains) else { continue }
            covered.formUnion(keys)
            out.append(name)
        }
        return out
    }

    /// Why `name` cannot be an alternate name, or nil when it can.
    public static func problem(_ name: String) -> String? {
        if name.unicodeScalars.contains(";") { return "'\(name)' contains ';', the list separator" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) { return "a name contains a control character" }
        if !name.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) { return "'\(name)' has no letter or digit" }
        return nil
    }

    static func isCode(_ name: String) -> Bool {
        name.utf8.count == 3 && name.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    static func isLowerCaseRomanisation(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        return first.value < 0x250 && first.properties.isLowercase
    }
}
