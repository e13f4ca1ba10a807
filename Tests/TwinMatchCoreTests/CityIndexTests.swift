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
        try CityIndex.sign(path) // past the checksum, to the reader behind it
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
            try CityIndex.sign(path)
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
            try CityIndex.sign(path)
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
        try CityIndex.sign(path)
        XCTAssertThrowsError(try CityIndex(path: path)) {
            XCTAssertEqual($0 as? InputError, InputError(file: path, "not a valid TwinMatch index: inconsistent country and migration columns"))
        }
        let table = section(.countryMigration, of: good)
        let text = String(decoding: good[table.offset..<table.offset + table.length], as: UTF8.self)
        XCTAssertTrue(text.contains("\"share\":0.5"), text)
        bad = good
        bad.replaceSubrange(table.offset..<table.offset + table.length, with: Array(text.replacingOccurrences(of: "\"share\":0.5", with: "\"share\":9.5").utf8))
        try Data(bad).write(to: URL(fileURLWithPath: path))
        try CityIndex.sign(path)
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

    /// Any byte changed after writing (one that keeps every value in range too, which no other check sees) or a
    /// file cut short is refused at open by the checksum in the header; re-signed, the same change opens.
    func testRefusesChangedBytesByTheirDigest() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sum-\(UUID().uuidString).idx").path
        defer { unlink(path) }
        try CityIndex.write(Corpus(profiles: profiles()), to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let damaged = "not a valid TwinMatch index: its checksum does not match its contents: the file is damaged or truncated (rebuild it with `twinmatch index`)"
        let matrix = section(.matrix, of: [UInt8](good)), names = section(.nameBytes, of: [UInt8](good))
        // A matrix value's lowest bit, a letter of a name, the first padding byte after the header, the checksum
        // itself, the last byte.
        for at in [matrix.offset + 4 * 17, names.offset + 2, CityIndex.checksumRange.upperBound, CityIndex.checksumRange.lowerBound + 5, good.count - 1] {
            var bad = good
            bad[at] ^= 1
            try bad.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CityIndex(path: path), "byte \(at)") { XCTAssertEqual($0 as? InputError, InputError(file: path, damaged)) }
        }
        try good.dropLast(64).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CityIndex(path: path)) { XCTAssertEqual($0 as? InputError, InputError(file: path, damaged)) }
        var renamed = good
        renamed[names.offset + 2] ^= 1 // "Town" → "Tovn", a change no range check sees
        try renamed.write(to: URL(fileURLWithPath: path))
        try CityIndex.sign(path)
        XCTAssertNotEqual(try CityIndex(path: path).name(0), Corpus(profiles: profiles()).profiles.profiles[0].name)
    }

    /// XXH64 gives the reference implementation's hashes (the `xxhash` package's `xxh64_intdigest`, seed 0) of
    /// bytes `(7i + 3) mod 256` of every length class: empty, under 4, 4, 8, under one 32-byte stripe, one,
    /// stripes with every kind of tail.
    func testXXH64MatchesTheReference() {
        let expected: [(Int, UInt64)] = [
            (0, 0xef46db3751d8e999), (1, 0x1f25c8d0bc1f4bb6), (3, 0x31d2363f52e564c9), (4, 0x9bb64b7d66ee9fda),
            (8, 0xdab99d95c6f90092), (31, 0xa2aa5f33cc4a6119), (32, 0x23c3c17ef790fd97), (33, 0x50a7cfc7ba588784),
            (100, 0xa61f8d4c170fe531), (771, 0x5ead488ac3ef4a75), (4099, 0x6243e90ade852967),
        ]
        for (n, hash) in expected {
            XCTAssertEqual(XXH64.hash((0..<n).map { UInt8(truncatingIfNeeded: 7 * $0 + 3) }), hash, "\(n) bytes")
        }
    }

    /// The chunked checksum equals a plain one computed here (XXH64 of the bytes before the skipped range, then
    /// of each chunk after it, serially, then of those hashes) on seeded random files whose lengths divide the
    /// chunk and don't, with the skipped range anywhere (at the start, across a chunk, past the end, empty), and
    /// for an empty file.
    func testChecksumMatchesAPlainOne() throws {
        var random = SplitMix64(seed: 7)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tree-\(UUID().uuidString).bin").path
        defer { unlink(path) }
        for (length, chunk, skip) in [(0, 64, 0..<0), (1, 64, 0..<1), (64, 64, 10..<42), (640, 64, 60..<70), (1000, 64, 990..<1200),
                                      (1000, 7, 0..<0), (4096 + 3, 1024, 1020..<1030), (300, 1000, 5..<37), (300, 1000, 0..<8)] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let lo = min(skip.lowerBound, length), hi = min(skip.upperBound, length)
            var words: [UInt8] = []
            func add(_ piece: ArraySlice<UInt8>) { withUnsafeBytes(of: XXH64.hash(Array(piece)).littleEndian) { words += $0 } }
            add(bytes[0..<lo])
            for start in stride(from: hi, to: length, by: chunk) { add(bytes[start..<min(length, start + chunk)]) }
            XCTAssertEqual(Checksum.tree(of: try MappedFile(path: path), skipping: skip, chunk: chunk), XXH64.hash(words), "\(length) \(chunk) \(skip)")
        }
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
            try CityIndex.sign(path)
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
