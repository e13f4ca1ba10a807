import XCTest
@testable import TwinMatchCore

final class CityIndexTests: XCTestCase {
    func profiles() -> ProfileSet {
        let themes = ThemeVocabulary.themes
        let countries = ["DE", "FR", "IT", "PL", "ES"]
        var list: [CityProfile] = []
        for i in 0..<40 {
            let id = String(100 + (i * 13) % 40)
            let partner = String(100 + ((i + 1) * 13) % 40)
            let lat = Double(i % 17) * 3, lon = Double(i % 11) * 4
            let population = Double(1000 * (i + 1) * (i + 1))
            let weighted = [Weighted(themes[i % 7], 1), Weighted(themes[(i * 3) % 11], 0.5)]
            let migration = [Weighted(countries[(i + 1) % 5], 0.2)]
            let offers = [themes[i % 5]], seeks = [themes[(i + 2) % 5]]
            let partners: [String] = i % 6 == 0 ? [partner] : []
            var p = CityProfile(id: id, name: "Town \(i % 30)", country: countries[i % 5], latitude: lat, longitude: lon,
                                population: population, languages: ["en"], themes: weighted, offers: offers, seeks: seeks,
                                migrationLinks: migration, partners: partners)
            p.region = String(i % 3)
            p.nameVariants = i % 4 == 0 ? nil : i % 9
            list.append(p)
        }
        return ProfileSet(profiles: list, source: "memory")
    }

    /// A string offset past Int.max (a damaged index) reads as an empty string, never a trap.
    func testStringOffsetPastIntMaxReadsEmpty() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: profiles()), to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let table = 32 + 16 * CityIndex.Section.nameOffsets.rawValue
        let offsets = Int(bytes[table..<table + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        for i in 0..<8 { bytes[offsets + 8 + i] = 0xFF } // the end of row 0's name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let index = try CityIndex(path: path)
        XCTAssertEqual(index.name(0), "")
        XCTAssertEqual(index.name(2), "Town 2")
    }

    /// The byte offset and length of `section` in the index file `bytes`, from its section table.
    func section(_ section: CityIndex.Section, of bytes: [UInt8]) -> (offset: Int, length: Int) {
        func u64(_ at: Int) -> Int { Int(bytes[at..<at + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
        return (u64(32 + 16 * section.rawValue), u64(40 + 16 * section.rawValue))
    }

    /// A schema that names a word twice (the lookups built on it are keyed by its words) is refused at open,
    /// naming the file and the field, whichever vocabulary it is; so is one with a non-positive size width.
    func testRefusesSchemaNamingAWordTwice() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twice-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: profiles()), to: path)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let schema = section(.schema, of: good)
        // Each edit keeps the schema's length, so the rest of the file stays where the table says it is.
        let edits: [(from: String, to: String, field: String, message: String)] = [
            ("\"circular-economy\"", "\"social-inclusion\"", "schema.themes", "the themes name 'social-inclusion' twice"),
            ("\"countries\":[\"DE\",\"ES\"", "\"countries\":[\"DE\",\"DE\"", "schema.countries", "the countries name 'DE' twice"),
            ("\"sizeWidth\":0.35", "\"sizeWidth\":-0.5", "schema.sizeWidth", "sizeWidth -0.5 is not a positive number"),
        ]
        for edit in edits {
            let text = String(decoding: good[schema.offset..<schema.offset + schema.length], as: UTF8.self)
            XCTAssertTrue(text.contains(edit.from), "the schema as written: \(text)")
            let changed = Array(text.replacingOccurrences(of: edit.from, with: edit.to).utf8)
            XCTAssertEqual(changed.count, schema.length)
            var bad = good
            bad.replaceSubrange(schema.offset..<schema.offset + schema.length, with: changed)
            try Data(bad).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Corpus.open(index: path), edit.field) {
                XCTAssertEqual($0 as? InputError, InputError(file: path, field: edit.field, "not a valid TwinMatch index: in its schema, \(edit.message)"))
                XCTAssertEqual(($0 as? InputError)?.kind, .data)
            }
        }
    }

    /// A latitude, longitude or population column outside the ranges the profile reader admits (a NaN, a
    /// population no `Int` holds, which the results print as a whole number) is refused at open.
    func testRefusesPlaceColumnsOutOfRange() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("place-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: profiles()), to: path)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let cases: [(CityIndex.Section, String, Double, String)] = [
            (.population, "population", 1e300, "row 4 has 1e+300, outside 0.0…10000000000.0"),
            (.latitude, "lat", .nan, "row 4 has nan, outside -90.0…90.0"),
            (.longitude, "lon", -181, "row 4 has -181.0, outside -180.0…180.0"),
        ]
        for (column, field, value, message) in cases {
            var bad = good
            let at = section(column, of: good).offset + 8 * 3
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bad.replaceSubrange(at..<(at + 8), with: $0) }
            try Data(bad).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CityIndex(path: path), field) {
                XCTAssertEqual($0 as? InputError, InputError(file: path, field: field, "not a valid TwinMatch index: \(message)"))
            }
        }
    }

    /// Migration weights outside 0…1 (a link weight of the rows, a share of the country table) are refused
    /// at open: they are normalised, and a larger one overflows the scores.
    func testRefusesMigrationWeightsOutOfRange() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        let migration = CountryMigration(links: ["DE": [.init(origin: "FR", stock: 10, share: 0.5)]], year: ["DE": 2019], source: "test")
        try CityIndex.write(Corpus(profiles: profiles(), migration: migration), to: path)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var bad = good
        let weights = section(.linkWeight, of: good)
        XCTAssertGreaterThan(weights.length, 0)
        withUnsafeBytes(of: Float(2).bitPattern.littleEndian) { bad.replaceSubrange(weights.offset..<weights.offset + 4, with: $0) }
        try Data(bad).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CityIndex(path: path)) {
            XCTAssertEqual($0 as? InputError, InputError(file: path, "not a valid TwinMatch index: inconsistent country and migration columns"))
        }
        let table = section(.countryMigration, of: good)
        let text = String(decoding: good[table.offset..<table.offset + table.length], as: UTF8.self)
        XCTAssertTrue(text.contains("\"share\":0.5"), text)
        bad = good
        bad.replaceSubrange(table.offset..<table.offset + table.length, with: Array(text.replacingOccurrences(of: "\"share\":0.5", with: "\"share\":9.5").utf8))
        try Data(bad).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CityIndex(path: path)) {
            XCTAssertEqual($0 as? InputError, InputError(file: path, field: "countryMigration",
                "not a valid TwinMatch index: the link from FR into DE has share 9.5 and stock 10.0 (a share in 0…1 and a finite stock ≥ 0 expected)"))
        }
    }

    func testRoundTripAndSameRecommendations() throws {
        let set = profiles()
        let schema = FeatureSchema.fit(Array(set.profiles))
        let stored = FeatureExtractor(schema: schema).transform(Array(set.profiles))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: set), to: path)
        let index = try CityIndex(path: path)
        XCTAssertEqual(index.count, 40)
        XCTAssertEqual(index.schema, schema)
        XCTAssertEqual(index.stored.values, stored.values)
        XCTAssertEqual(index.idRank, set.idRank)
        for row in 0..<40 {
            // The index stores partner lists made symmetric; everything else round-trips exactly.
            var expected = set.profiles[row]
            let stored = index.profile(row)
            XCTAssertTrue(Set(stored.partners).isSuperset(of: expected.partners))
            for other in set.profiles where other.partners.contains(expected.id) { XCTAssertTrue(stored.partners.contains(other.id)) }
            expected.partners = stored.partners
            XCTAssertEqual(stored, expected)
            XCTAssertEqual(index.row(ofId: set.profiles[row].id), row)
        }
        XCTAssertNil(index.row(ofId: "nope"))
        let lazy = ProfileSet(store: index, source: path)
        XCTAssertEqual(lazy.rows(named: "town 7"), [7, 37])
        for row in 0..<40 {
            XCTAssertEqual(lazy.profiles.region(row), set.profiles[row].region)
            XCTAssertEqual(lazy.profiles.nameVariants(row), set.profiles[row].nameVariants)
        }
        let corpusA = Corpus(profiles: set), corpusB = Corpus(index: index)
        XCTAssertEqual(corpusA.listedPairs.map { [$0.0, $0.1] }, corpusB.listedPairs.map { [$0.0, $0.1] }, "the index keeps the profiles' partnerships")
        let a = ContentRanker(corpus: corpusA), b = ContentRanker(corpus: corpusB)
        for q in [0, 6, 13] {
            let ra = a.recommend(queries: [q], limit: 8)[0].results, rb = b.recommend(queries: [q], limit: 8)[0].results
            XCTAssertEqual(ra.map(\.row), rb.map(\.row))
            XCTAssertEqual(ra.map(\.score), rb.map(\.score))
            XCTAssertEqual(a.explain(q, q + 1).existingPartnership, b.explain(q, q + 1).existingPartnership)
        }
        // The model's terms read the index's columns: the same scores as from the profiles.
        var weights: [ModelTerm: Double] = [:]
        for (i, t) in ModelTerm.allCases.enumerated() { weights[t] = Double(i % 5) - 1.5 }
        let pairs = [(0, 6), (6, 12), (12, 18), (1, 2), (2, 3)]
        let model = TwinModel(weights: weights)
        let ma = ModelRanker(context: TermContext(corpus: corpusA, knownPairs: pairs), model: model)
        let mb = ModelRanker(context: TermContext(corpus: corpusB, knownPairs: pairs), model: model)
        XCTAssertEqual(ma.graph.pairs.map { [$0.0, $0.1] }, mb.graph.pairs.map { [$0.0, $0.1] }, "one graph, whichever the input")
        for q in [0, 6, 13] {
            for c in 0..<40 where c != q { XCTAssertEqual(ma.score(query: q, candidate: c), mb.score(query: q, candidate: c), accuracy: 1e-9) }
        }
    }

    func testRejectsDamagedFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try Data("TWMINDX1 but nothing else".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CityIndex(path: path)) { XCTAssertTrue("\($0)".contains("not a valid TwinMatch index"), "\($0)") }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CityIndex(path: path)) { XCTAssertTrue("\($0)".contains("bad magic"), "\($0)") }
    }

    /// An index whose stored matrix holds a NaN, an infinity or a value outside −1…1 (every group of a stored
    /// vector is normalised; a larger value overflows the scores) is refused at open, naming the row and column.
    func testRefusesNonFiniteMatrix() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nan-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: profiles()), to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let dimension = try CityIndex(path: path).dimension
        // The section table follows the 32-byte header; the matrix is the last section.
        let sections = Int(good[12..<16].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        let matrixOffset = Int(good[(16 + 16 * sections)..<(24 + 16 * sections)].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        for (value, text) in [(Float.nan, "nan"), (-Float.infinity, "-inf"), (1.3e36, "1.3e+36"), (-1.5, "-1.5")] {
            var bad = good
            let at = matrixOffset + 4 * (7 * dimension + 2)
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bad.replaceSubrange(at..<(at + 4), with: $0) }
            try bad.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CityIndex(path: path)) {
                XCTAssertEqual($0 as? InputError, InputError(file: path, "not a valid TwinMatch index: the stored matrix holds \(text) at row 8, column 3\(value.isFinite ? ", outside -1…1" : "") (rebuild the index with `twinmatch index`)"))
            }
        }
    }
}

final class ProfileListTests: XCTestCase {
    func testComparesWithArrays() {
        let p = CityProfile(id: "1", name: "A", country: "DE", latitude: 0, longitude: 0, population: 10)
        let set = ProfileSet(profiles: [p])
        XCTAssertEqual(set.profiles, [p])
        XCTAssertEqual(Array(set.profiles), [p])
        XCTAssertFalse(set.profiles.isLazy)
    }
}
