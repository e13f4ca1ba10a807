import XCTest
import TwinMatchTestSupport
@testable import TwinMatchCore

final class NameFoldingTests: XCTestCase {
    /// Two names fold together when they share a key.
    func folds(_ a: String, _ b: String) -> Bool { !Set(nameKeys(a)).isDisjoint(with: nameKeys(b)) }

    func testPairsThatMustFoldTogether() {
        let same: [(String, String)] = [
            ("München", "Munchen"), ("München", "Muenchen"), ("München", "MÜNCHEN"), ("München", "  münchen "),
            ("Göteborg", "Goteborg"), ("Göteborg", "Goeteborg"), ("Zürich", "Zuerich"), ("Zürich", "ZURICH"),
            ("Straße", "Strasse"), ("Øresund", "Oresund"), ("Øresund", "Oeresund"), ("Ærøskøbing", "Aeroskobing"),
            ("Århus", "Aarhus"), ("Århus", "Arhus"), ("Œuilly", "Oeuilly"), ("Łódź", "Lodz"), ("Đakovo", "Dakovo"),
            ("Þórshöfn", "Thorshofn"), ("İstanbul", "Istanbul"), ("Kraków", "krakow"), ("Reykjavík", "Reykjavik"),
            ("Aix-en-Provence", "Aix en Provence"), ("Aix-en-Provence", "aixenprovence"), ("L'Aquila", "L’Aquila"),
            ("L'Aquila", "L Aquila"), ("St. Gallen", "St Gallen"), ("Frankfurt (Oder)", "Frankfurt Oder"),
            ("Hawaiʻi", "Hawaii"), ("Москва", "МОСКВА"), ("Αθήνας", "ΑΘΗΝΑΣ"), ("STRAẞE", "strasse"), ("Bär", "Baer"), ("Citroën", "Citroen"),
            // Decomposed input (a + combining diaeresis) is the same as the precomposed letter.
            ("Mu\u{0308}nchen", "München"), ("Mu\u{0308}nchen", "Muenchen"),
        ]
        for (a, b) in same { XCTAssertTrue(folds(a, b), "\(a) and \(b) should fold together: \(nameKeys(a)) \(nameKeys(b))") }
    }

    func testPairsThatMustNotFoldTogether() {
        let different: [(String, String)] = [
            ("Münster", "Monster"), ("Muenster", "Munster"), ("Baer", "Bar"), ("Bremen", "Bremerhaven"), ("Gent", "Genf"),
            ("Wien", "Vienna"), ("Roma", "Rome"), ("Citroën", "Citroeen"), ("Lodz", "Lods"), ("Москва", "Moskva"),
            ("Turin", "Turín 2"), ("Koln", "Koeln"),
        ]
        for (a, b) in different { XCTAssertFalse(folds(a, b), "\(a) and \(b) should stay apart: \(nameKeys(a)) \(nameKeys(b))") }
        XCTAssertEqual(nameKeys("' - '"), [], "no letter, no key")
        XCTAssertEqual(nameKeys(""), [])
    }

    /// The scalar-at-a-time fold gives the keys of the general path (Foundation's decomposition of the
    /// whole name) on random names mixing scripts, capitals, combining marks and punctuation.
    func testTableFoldMatchesTheGeneralPath() {
        let pool: [String] = ["a", "O", "u", "Z", "3", " ", "-", "'", "’", "ʻ", ".", "ä", "Ö", "Ü", "å", "Å", "ø", "Ø", "æ", "Œ", "ß", "ẞ",
                              "ł", "Đ", "þ", "ı", "İ", "é", "Ç", "ǖ", "ș", "ő", "\u{0301}", "\u{0308}", "\u{030A}", "Ά", "ς", "Σ",
                              "й", "Ё", "Ѓ", "ṃ", "Ấ", "ἄ", "ミ", "ガ", "東", "한", "ب", "ي", "न", "\u{0DD9}"]
        var rng = SeededGenerator(seed: 7)
        withEvery("case", in: 0..<3000) { _ in
            let name = (0..<(1 + rng.int(8))).map { _ in pool[rng.int(pool.count)] }.joined()
            let fast = NameFolding.keys(name), general = NameFolding.generalKeys(name)
            XCTAssertEqual(fast.plain, general.plain, name)
            XCTAssertEqual(fast.expanded, general.expanded, name)
        }
    }

    func testCompactAlternateNames() {
        let raw = ["MUC", "Munchen", "München", "Muenchen", "Munich", "mu ni hei", "Monaco di Baviera", "Мюнхен", "a;b", "",
                   "  Minga ", "Minga", "---"]
        // München adds the key muenchen to Munchen's, so Muenchen after it adds nothing.
        XCTAssertEqual(AlternateNames.compact(raw, mainName: "Munich"), ["Munchen", "München", "Monaco di Baviera", "Мюнхен", "Minga"])
        XCTAssertEqual(AlternateNames.compact(raw, mainName: "Munich", limit: 2), ["Munchen", "München"])
        XCTAssertEqual(AlternateNames.compact(["Bienne", "Biel", "Bienna"], mainName: "Biel/Bienne"), ["Bienna"], "a slash name's parts are main names")
    }

    /// Random names from syllables with diacritics, and the ways people retype them.
    static func randomNames(_ count: Int, rng: inout SeededGenerator) -> [String] {
        let syllables = ["mün", "chen", "gö", "te", "borg", "zü", "rich", "ber", "lin", "ly", "on", "å", "rhus", "łó", "dź", "ss", "ß",
                         "ø", "ae", "ue", "oe", "u", "o", "a", "Wi", "en", "Ro", "ma", " ", "-", "'", "St. "]
        return (0..<count).map { _ in (0..<(1 + rng.int(3))).map { _ in syllables[rng.int(syllables.count)] }.joined() }
    }

    static func retyped(_ name: String, rng: inout SeededGenerator) -> String {
        switch rng.int(5) {
        case 0: return name.uppercased()
        case 1: return name.replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "ö", with: "oe")
        case 2: return name.folding(options: .diacriticInsensitive, locale: nil)
        case 3: return " " + name.replacingOccurrences(of: " ", with: "-") + " "
        default: return name
        }
    }

    /// The places whose names share a key with `query`, by a scan over every row's keys (main, alternate):
    /// the reference for the dictionary and the index's key table.
    static func referenceHits(_ query: String, keys rows: [(main: Set<String>, alternate: Set<String>)]) -> [NameHit] {
        let keys = Set(nameKeys(query))
        var out: [NameHit] = []
        for (row, k) in rows.enumerated() {
            let main = !keys.isDisjoint(with: k.main), alternate = !keys.isDisjoint(with: k.alternate)
            if main || alternate { out.append(NameHit(row: row, alternate: !main)) }
        }
        return out
    }

    func testDictionaryAndIndexLookupsMatchALinearScan() throws {
        var rng = SeededGenerator(seed: 13)
        let names = Self.randomNames(400, rng: &rng)
        var profiles: [CityProfile] = []
        for (i, name) in names.enumerated() {
            var p = CityProfile(id: String(i + 1), name: i % 17 == 0 ? name + "/" + names[(i * 7) % names.count] : name, country: ["DE", "FR", "US"][i % 3],
                                region: String(i % 4), latitude: Double(i % 80), longitude: Double(i % 170), population: Double((i * 7919) % 100_000))
            p.alternateNames = (0..<rng.int(4)).map { _ in names[rng.int(names.count)] }
            profiles.append(p)
        }
        let set = ProfileSet(profiles: profiles, source: "memory")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: set), to: path)
        let indexed = ProfileSet(store: try CityIndex(path: path), source: path)
        let table = profiles.map { p in
            (main: Set(mainNameParts(p.name).flatMap(nameKeys)), alternate: Set(p.alternateNames.flatMap(nameKeys)))
        }
        var queries = (0..<600).map { _ in Self.retyped(names[rng.int(names.count)], rng: &rng) }
        queries += Self.randomNames(200, rng: &rng) + ["", "---", "zz"]
        withEvery("query", in: queries) { q in
            let expected = Self.referenceHits(q, keys: table)
            XCTAssertEqual(set.nameHits(q), expected, "dictionary")
            XCTAssertEqual(indexed.nameHits(q), expected, "index key table")
            let a = Result { try set.resolve(name: q) }, b = Result { try indexed.resolve(name: q) }
            switch (a, b) {
            case (.success(let x), .success(let y)): XCTAssertEqual(x, y)
            case (.failure(let x), .failure(let y)): XCTAssertEqual("\(x)", "\(y)")
            default: XCTFail("the two sets resolve '\(q)' differently: \(a) vs \(b)")
            }
        }
    }

    func testIndexRoundTripsAlternateNamesAndRefusesOldFormats() throws {
        var a = CityProfile(id: "1", name: "Munich", country: "DE", region: "02", latitude: 48.1, longitude: 11.6, population: 1_505_005)
        a.alternateNames = ["München", "Muenchen", "Мюнхен", "ミュンヘン"]
        let b = CityProfile(id: "2", name: "Turin", country: "IT", region: "12", latitude: 45.1, longitude: 7.7, population: 847_287)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alt-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: ProfileSet(profiles: [a, b])), to: path)
        let index = try CityIndex(path: path)
        XCTAssertEqual(index.profile(0).alternateNames, a.alternateNames)
        XCTAssertEqual(index.profile(1).alternateNames, [])
        XCTAssertEqual(index.alternateNames(0), a.alternateNames)
        let set = ProfileSet(store: index, source: path)
        for typed in ["München", "MUENCHEN", "мюнхен", "ミュンヘン", "Munich"] { XCTAssertEqual(try set.resolve(name: typed).row, 0, typed) }
        XCTAssertEqual(set.nameHits("Muenchen"), [NameHit(row: 0, alternate: true)])
        XCTAssertEqual(set.nameHits("munich"), [NameHit(row: 0, alternate: false)])

        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(8..<12, with: [4, 0, 0, 0])
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CityIndex(path: path)) { XCTAssertTrue("\($0)".contains("format version 4, this build reads \(CityIndex.formatVersion) (rebuild it"), "\($0)") }
    }
}
