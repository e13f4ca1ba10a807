import Foundation
import PropertyBased
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

// Seeded properties (`forAll`): each seed draws one case with PropertyBased's generators, and a failure names
// its seed and the case (`PROPERTY_SEED=N` repeats it alone). The shapes include empty inputs, k and limits
// beyond the candidates, and block sizes that divide nothing.

// MARK: - The exact search

/// Queries, candidates, a subset of the candidates, and how to search them.
struct SearchCase: CustomStringConvertible, Sendable {
    let queries: FloatMatrix
    let candidates: FloatMatrix
    let tieRank: [Int32]
    let bias: [Float]?
    /// Whether each candidate is in the subset.
    let kept: [Bool]
    let k: Int
    let options: SearchOptions

    var subset: [Int] { kept.indices.filter { kept[$0] } }
    var description: String {
        "\(queries.rows) queries × \(candidates.rows) candidates (\(subset.count) in the subset) of dimension \(queries.cols), k \(k)"
            + "\(bias == nil ? "" : ", a bias"), blocks \(options.queryBlock) × \(options.candidateBlock), \(options.threads) threads"
    }

    static let generator = Generator<SearchCase, Shrink.None<SearchCase>> { rng in
        let m = Gen.int(in: 0...9).run(using: &rng)
        // Often none, one, or a handful of candidates; sometimes several tiles of them.
        let n = Gen.element(of: [0, 1, 2, 5, 13, 31, 64, 97]).run(using: &rng)!
        let d = Gen.int(in: 1...9).run(using: &rng)
        let k = Gen.element(of: [0, 1, 3, 7, n, n + 1, 2 * n + 5]).run(using: &rng)!
        // Values on a coarse grid tie exactly (and then break by id); fine values almost never tie.
        let coarse = Gen.bool.run(using: &rng)
        let value = coarse ? Gen.element(of: [Float(-1), -0.5, 0, 0.5, 1]).map { $0! }.eraseToAny() : Gen.float(in: -1...1).eraseToAny()
        let q = FloatMatrix(rows: m, cols: d, values: value.array(of: m * d).run(using: &rng))
        let x = FloatMatrix(rows: n, cols: d, values: value.array(of: n * d).run(using: &rng))
        // Ids that are numbers and text, in no particular order: tie ranks are not the rows.
        let ids = Gen.shuffled((0..<n).map { $0 % 3 == 0 ? "c\($0)" : String(1000 - 7 * $0) }).run(using: &rng)
        let bias = Gen.bool.run(using: &rng) ? value.array(of: n).run(using: &rng) : nil
        let density = Gen.element(of: [0.0, 0.3, 0.7, 1.0]).run(using: &rng)!
        let kept = Gen.float(in: 0..<1).array(of: n).run(using: &rng).map { Double($0) < density }
        let options = SearchOptions(queryBlock: Gen.int(in: 1...7).run(using: &rng), candidateBlock: Gen.int(in: 1...40).run(using: &rng),
                                    threads: Gen.int(in: 1...3).run(using: &rng))
        return SearchCase(queries: q, candidates: x, tieRank: ProfileSet.ranks(of: ids), bias: bias, kept: kept, k: k, options: options)
    }
}

final class SearchPropertyTests: XCTestCase {
    /// The top k over all candidates and over a subset (the subset once as a filter, once as a matrix of its
    /// own rows): the subset's two searches agree with each other and with the plain reference, and the
    /// superset's list dominates the subset's rank by rank; a subset candidate the superset leaves out
    /// scores no better than the superset's last, which is then full.
    func testTopKOfASupersetDominatesTheSubsets() {
        forAll(SearchCase.generator, seeds: 0..<300) { c in
            let tolerance: Float = 1e-4
            let subset = c.subset, kept = c.kept
            let all = ExactSearch.topK(queries: c.queries, candidates: c.candidates, k: c.k, tieRank: c.tieRank, bias: c.bias, options: c.options)
            let filtered = ExactSearch.topK(queries: c.queries, candidates: c.candidates, k: c.k, tieRank: c.tieRank, bias: c.bias,
                                            options: c.options) { _, row in kept[row] }
            let own = ExactSearch.topK(queries: c.queries, candidates: c.candidates.gatherRows(subset), k: c.k,
                                       tieRank: subset.map { c.tieRank[$0] }, bias: c.bias.map { b in subset.map { b[$0] } }, options: c.options)
                .map { list in list.map { Neighbor(row: subset[$0.row], score: $0.score) } }
            let reference = referenceTopK(queries: c.queries, candidates: c.candidates, k: c.k, tieRank: c.tieRank, bias: c.bias) { _, row in kept[row] }
            XCTAssertEqual(all.count, c.queries.rows)
            XCTAssertEqual(filtered.count, c.queries.rows)
            XCTAssertEqual(own.count, c.queries.rows)
            for q in 0..<c.queries.rows {
                XCTAssertEqual(all[q].count, min(c.k, c.candidates.rows), "query \(q): the superset's list is full")
                XCTAssertTrue(filtered[q].allSatisfy { kept[$0.row] }, "query \(q): the filter leaks")
                assertMatchesReference(filtered[q], reference[q], "query \(q), subset as a filter")
                assertMatchesReference(own[q], filtered[q].map { (row: $0.row, score: Double($0.score)) }, "query \(q), subset as its own rows")
                for (i, s) in filtered[q].enumerated() {
                    XCTAssertGreaterThanOrEqual(all[q][i].score, s.score - tolerance, "query \(q), rank \(i + 1)")
                }
                let listed = Set(all[q].map(\.row))
                for s in filtered[q] where !listed.contains(s.row) {
                    XCTAssertEqual(all[q].count, c.k, "query \(q): row \(s.row) left out of a list with room")
                    XCTAssertLessThanOrEqual(s.score, (all[q].last?.score ?? -.infinity) + tolerance, "query \(q): row \(s.row) beats the superset's last")
                }
            }
        }
    }

    /// A smaller k gives the first entries of the larger k's list, exactly (rows and scores): a list never
    /// depends on how long it is asked to be.
    func testASmallerKIsAPrefix() {
        forAll(SearchCase.generator, seeds: 0..<300) { c in
            let long = ExactSearch.topK(queries: c.queries, candidates: c.candidates, k: c.k, tieRank: c.tieRank, bias: c.bias, options: c.options)
            for k in Set([0, 1, c.k / 2, max(0, c.k - 1)]) where k <= c.k {
                let short = ExactSearch.topK(queries: c.queries, candidates: c.candidates, k: k, tieRank: c.tieRank, bias: c.bias, options: c.options)
                XCTAssertEqual(short, long.map { Array($0.prefix(k)) }, "k \(k) of \(c.k)")
            }
        }
    }
}

// MARK: - Worlds of profiles

/// Generators of profiles, in the form the loader gives them (so that writing and reading them back must
/// give them unchanged): trimmed text, whole populations, coordinates of at most 5 decimals, weights of at
/// most 4, known themes, unique list items, symmetric partner lists.
enum ProfileGen {
    static let countries = ["FR", "DE", "IT", "PL", "SN", "GB", "JP", "HR"]
    static let languages = ["fr", "de", "en", "it", "pl", "wo", "ja", "hr"]
    static let networks = ["intercultural-cities", "covenant-of-mayors", "energy-cities", "urbact-net-1", "alpine-towns"]
    /// Letters of several scripts, digits, separators of the formats (comma, quote, semicolon, colon, line
    /// breaks), a formula sign, a combining accent and an emoji.
    static let textCharacters = Array("abcdefghijklmnopqrstuvwxyzAZ0123456789 ,;:\"'-=+@/.()éüßøÅñçłő東京Ꮳ🙂\u{301}")
    static let lineBreaks: [Character] = ["\n", "\r", "\t"]
    static let plainCharacters = Array("abcdefghijklmnopqrstuvwxyz")

    /// Text of up to `maxLength` of `characters` but `excluded`, without spaces or tabs at its ends (the
    /// loader trims them); never empty unless `allowEmpty`.
    static func text(_ characters: [Character], maxLength: Int, excluding excluded: Set<Character> = [], allowEmpty: Bool = false)
        -> Generator<String, Shrink.None<String>> {
        let pool = characters.filter { !excluded.contains($0) }
        return Generator { rng in
            let raw = String(Gen.element(of: pool).map { $0! }.array(of: (allowEmpty ? 0 : 1)...maxLength).run(using: &rng))
            let trimmed = trimSpaces(raw)
            return trimmed.isEmpty && !allowEmpty ? "x" : trimmed
        }
    }

    /// Distinct items drawn from `items`, at most `max`.
    static func some<T: Sendable & Hashable>(_ items: [T], max: Int) -> Generator<[T], Shrink.None<[T]>> {
        Generator { rng in
            guard !items.isEmpty else { return [] }
            var seen = Set<T>()
            return Gen.element(of: items).map { $0! }.array(of: 0...max).run(using: &rng).filter { seen.insert($0).inserted }
        }
    }

    static let weight = Gen.frequency((weight: 1, gen: Gen.always(1.0)),
                                      (weight: 2, gen: Gen.int(in: 1...9999).map { Double($0) / 10000 }))

    /// Populations: none known, towns and cities, and up to the largest the loader takes (10¹⁰).
    static let population = Gen.frequency(
        (weight: 1, gen: Gen.always(0.0)),
        (weight: 6, gen: Gen.int(in: 1...2_000_000).map { Double($0) }),
        (weight: 1, gen: Gen.int(in: 1...10).map { pow(10, Double($0)) }),
        (weight: 1, gen: Gen.int(in: 1...Int(CityProfile.populations.upperBound)).map { Double($0) }))

    /// `count` profiles (in the loader's form); `tricky` text uses every character class above, plain text
    /// only letters. `clustered` puts the places around a few hubs, so that distances and the spread bite.
    static func profiles(count: ClosedRange<Int>, tricky: Bool, clustered: Bool) -> Generator<[CityProfile], Shrink.None<[CityProfile]>> {
        Generator { rng in
            let n = Gen.int(in: count).run(using: &rng)
            let chars = tricky ? textCharacters + lineBreaks : plainCharacters
            // Unique ids, numbers and text (partner lists are `;`-separated: no id holds one).
            var ids: [String] = [], seen = Set<String>()
            while ids.count < n {
                let id = Gen.bool.run(using: &rng) ? String(Gen.int(in: 0...99_999).run(using: &rng))
                    : text(tricky ? textCharacters : plainCharacters, maxLength: 6, excluding: [";"]).run(using: &rng)
                if seen.insert(id).inserted { ids.append(id) }
            }
            let hubs = [(45.9, 6.1), (48.1, 11.6), (41.9, 12.5), (14.7, -17.4)]
            var list: [CityProfile] = []
            for i in 0..<n {
                let latitude: Double, longitude: Double
                if clustered {
                    let hub = hubs[Gen.int(in: 0...(hubs.count - 1)).run(using: &rng)]
                    latitude = hub.0 + Double(Gen.int(in: -50_000...50_000).run(using: &rng)) / 100_000
                    longitude = hub.1 + Double(Gen.int(in: -50_000...50_000).run(using: &rng)) / 100_000
                } else {
                    latitude = Double(Gen.int(in: -9_000_000...9_000_000).run(using: &rng)) / 100_000
                    longitude = Double(Gen.int(in: -18_000_000...18_000_000).run(using: &rng)) / 100_000
                }
                let themes = some(ThemeVocabulary.themes, max: 3).run(using: &rng).map { Weighted($0, weight.run(using: &rng)) }
                let migration = some(countries, max: 2).run(using: &rng).map { Weighted($0, weight.run(using: &rng)) }
                var p = CityProfile(
                    id: ids[i], name: text(chars, maxLength: 12).run(using: &rng), country: Gen.element(of: countries).run(using: &rng)!,
                    region: text(tricky ? textCharacters : Array("0123"), maxLength: 2, excluding: [";"], allowEmpty: true).run(using: &rng),
                    latitude: latitude, longitude: longitude, population: population.run(using: &rng),
                    languages: some(languages, max: 2).run(using: &rng), themes: themes,
                    offers: some(Array(ThemeVocabulary.themes.prefix(8)), max: 2).run(using: &rng),
                    seeks: some(Array(ThemeVocabulary.themes.prefix(8)), max: 2).run(using: &rng),
                    migrationLinks: migration, networks: some(networks, max: 2).run(using: &rng))
                p.nameVariants = Gen.bool.run(using: &rng) ? Gen.int(in: 0...500).run(using: &rng) : nil
                p.status = Gen.element(of: [nil] + Availability.allCases.map(Optional.some)).run(using: &rng)!
                if tricky {
                    // Alternate names: a letter or digit, no `;` and no control character.
                    var names = Set<String>()
                    p.alternateNames = text(textCharacters, maxLength: 8, excluding: [";"]).array(of: 0...2).run(using: &rng)
                        .filter { AlternateNames.problem($0) == nil && names.insert($0).inserted }
                    var tokens = Set<String>()
                    p.sources = text(textCharacters, maxLength: 10, excluding: [";"]).array(of: 0...2).run(using: &rng)
                        .filter { tokens.insert($0).inserted }
                }
                list.append(p)
            }
            // Partnerships, listed on both sides, never with itself.
            if n > 1 {
                for _ in 0..<Gen.int(in: 0...n).run(using: &rng) {
                    let a = Gen.int(in: 0...(n - 1)).run(using: &rng), b = Gen.int(in: 0...(n - 1)).run(using: &rng)
                    guard a != b, !list[a].partners.contains(list[b].id) else { continue }
                    list[a].partners.append(list[b].id)
                    list[b].partners.append(list[a].id)
                }
            }
            return list
        }
    }
}

/// The first field in which two profiles differ, for a failure message.
func firstDifference(_ a: CityProfile, _ b: CityProfile) -> String {
    for (x, y) in zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children) where "\(x.value)" != "\(y.value)" {
        return "\(x.label ?? "?"): \(String(reflecting: x.value)) ≠ \(String(reflecting: y.value))"
    }
    return "equal fields"
}

/// Checks that `actual` are `expected`, naming the first row and field that differ.
func assertSameProfiles(_ actual: [CityProfile], _ expected: [CityProfile], _ context: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(context): profile count", file: file, line: line)
    if let row = expected.indices.first(where: { $0 < actual.count && actual[$0] != expected[$0] }) {
        XCTFail("\(context): row \(row) (id \(expected[row].id)) differs: \(firstDifference(actual[row], expected[row]))", file: file, line: line)
    }
}

// MARK: - Round trips

/// A matrix of any float32 bit patterns, and of any shape up to 40 × 40 (zero rows or columns included).
struct MatrixCase: CustomStringConvertible, Sendable {
    let matrix: FloatMatrix
    var description: String { "\(matrix.rows) × \(matrix.cols)" }

    static let generator = Generator<MatrixCase, Shrink.None<MatrixCase>> { rng in
        let side = Gen.frequency((weight: 1, gen: Gen.always(0)), (weight: 1, gen: Gen.always(1)),
                                 (weight: 4, gen: Gen.int(in: 2...40)))
        let rows = side.run(using: &rng), cols = side.run(using: &rng)
        let specials: [Float] = [0, -0, .infinity, -.infinity, .nan, .signalingNaN, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .ulpOfOne]
        let value = Gen.frequency((weight: 4, gen: Gen.float(in: -1e6...1e6)),
                                  (weight: 1, gen: Gen.element(of: specials).map { $0! }),
                                  (weight: 2, gen: Gen.uint32().map { Float(bitPattern: $0) }))
        return MatrixCase(matrix: FloatMatrix(rows: rows, cols: cols, values: value.array(of: rows * cols).run(using: &rng)))
    }
}

struct ProfilesCase: CustomStringConvertible, Sendable {
    let profiles: [CityProfile]
    var description: String { "\(profiles.count) profiles, ids \(profiles.prefix(4).map(\.id))\(profiles.count > 4 ? "…" : "")" }
}

final class RoundTripPropertyTests: FolderTestCase {
    override var folderPrefix: String { "twinmatch-property" }

    /// `NPY.write` then `NPY.read`: the same shape and the same bits (NaN payloads, signed zeros and
    /// subnormals included), the data 64-byte aligned.
    func testNPYWriteThenReadIsTheSameMatrix() throws {
        try forAll(MatrixCase.generator, seeds: 0..<300) { c in
            let m = c.matrix, p = path("m.npy")
            try NPY.write(m, to: p)
            let back = try NPY.read(path: p)
            XCTAssertEqual(back.rows, m.rows)
            XCTAssertEqual(back.cols, m.cols)
            XCTAssertEqual(back.values.map(\.bitPattern), m.values.map(\.bitPattern))
            let size = try FileManager.default.attributesOfItem(atPath: p)[.size] as? Int ?? -1
            XCTAssertEqual((size - 4 * m.rows * m.cols) % 64, 0, "the data starts on a 64-byte boundary")
        }
    }

    /// Up to 12 profiles with text of every kind, as `ProfilesCase`.
    static let trickyProfiles = ProfileGen.profiles(count: 1...12, tricky: true, clustered: false).map { ProfilesCase(profiles: $0) }

    /// `ProfileWriter.csv` then `ProfileLoader`: the same profiles, in order, without a warning.
    func testProfilesCSVWriteThenReadIsTheSameProfiles() throws {
        try forAll(Self.trickyProfiles, seeds: 0..<250) { c in
            try assertReads(ProfileWriter.csv(c.profiles), as: "profiles.csv", c.profiles)
        }
    }

    /// The same profiles written as JSON Lines (lists as JSON arrays or `;`-separated text, numbers as JSON
    /// numbers) read as the CSV reader reads them.
    func testProfilesJSONLinesReadAsTheCSV() throws {
        try forAll(Self.trickyProfiles, seeds: 0..<250) { c in
            try assertReads(jsonLines(c.profiles, arrays: c.profiles.count % 2 == 0), as: "profiles.jsonl", c.profiles)
        }
    }

    /// `text` written as file `name` loads (strictly) as `profiles`, without a warning.
    func assertReads(_ text: String, as name: String, _ profiles: [CityProfile], file: StaticString = #filePath, line: UInt = #line) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
        let back = try ProfileLoader(strict: true).load(path: path(name))
        assertSameProfiles(Array(back.profiles), profiles, name, file: file, line: line)
        XCTAssertEqual(back.warnings, [], name, file: file, line: line)
    }

    /// `CityIndex.write` then open: the same profiles, columns, schema, vectors (bit for bit), id order,
    /// lookups by id and by name, partnerships, memberships and country groups, and the same rankings.
    func testIndexWriteThenOpenIsTheSameCorpus() throws {
        let input = ProfileGen.profiles(count: 0...25, tricky: true, clustered: false).map { ProfilesCase(profiles: $0) }
        try forAll(input, seeds: 0..<120) { c in
            let set = ProfileSet(profiles: c.profiles, source: "memory")
            let corpus = Corpus(profiles: set), p = path("corpus.idx")
            try CityIndex.write(corpus, to: p)
            let index = try CityIndex(path: p)
            let opened = Corpus(index: index)
            XCTAssertEqual(index.count, set.count)
            XCTAssertEqual(index.schema, corpus.schema)
            XCTAssertEqual(index.stored.values.map(\.bitPattern), corpus.stored.values.map(\.bitPattern))
            XCTAssertEqual(index.idRank, set.idRank)
            assertSameProfiles((0..<index.count).map(index.profile), c.profiles, "index profiles")
            let list = opened.profiles.profiles
            for (row, profile) in c.profiles.enumerated() {
                XCTAssertEqual(list.id(row), profile.id)
                XCTAssertEqual(list.name(row), profile.name)
                XCTAssertEqual(list.country(row), profile.country)
                XCTAssertEqual(list.region(row), profile.region)
                XCTAssertEqual(list.population(row).bitPattern, profile.population.bitPattern)
                XCTAssertEqual(list.latitude(row).bitPattern, profile.latitude.bitPattern)
                XCTAssertEqual(list.longitude(row).bitPattern, profile.longitude.bitPattern)
                XCTAssertEqual(list.status(row), profile.status)
                XCTAssertEqual(list.nameVariants(row), profile.nameVariants)
                XCTAssertEqual(index.row(ofId: profile.id), row)
                for name in [profile.name] + profile.alternateNames {
                    XCTAssertEqual(opened.profiles.rows(named: name), set.rows(named: name), "rows named \(String(reflecting: name))")
                }
            }
            XCTAssertNil(index.row(ofId: ";not an id"))
            XCTAssertEqual(opened.listedPairs.map { [$0.0, $0.1] }, corpus.listedPairs.map { [$0.0, $0.1] })
            XCTAssertEqual(opened.memberships.networks, corpus.memberships.networks)
            XCTAssertEqual(opened.memberships.rowStart, corpus.memberships.rowStart)
            XCTAssertEqual(opened.memberships.rowNetworks, corpus.memberships.rowNetworks)
            XCTAssertEqual(opened.pairGroups.country, corpus.pairGroups.country)
            XCTAssertEqual(opened.pairGroups.linkStart, corpus.pairGroups.linkStart)
            XCTAssertEqual(opened.pairGroups.linkCountry, corpus.pairGroups.linkCountry)
            XCTAssertEqual(opened.pairGroups.linkWeight.map(\.bitPattern), corpus.pairGroups.linkWeight.map(\.bitPattern))
            let options = SearchOptions(queryBlock: 3, candidateBlock: 7, threads: 2)
            let a = ContentRanker(corpus: corpus, search: options), b = ContentRanker(corpus: opened, search: options)
            let queries = Array(0..<min(3, set.count))
            let ra = a.recommend(queries: queries, limit: 5, filter: .byScore), rb = b.recommend(queries: queries, limit: 5, filter: .byScore)
            XCTAssertEqual(ra.map { $0.results.map(\.row) }, rb.map { $0.results.map(\.row) })
            XCTAssertEqual(ra.map { $0.results.map(\.score) }, rb.map { $0.results.map(\.score) })
        }
    }

    /// JSON Lines of `profiles` in the documented fields: lists as JSON arrays (`arrays`) or as the CSV's
    /// `;`-separated text, theme and migration weights as `key:weight` items, numbers as JSON numbers.
    func jsonLines(_ profiles: [CityProfile], arrays: Bool) throws -> String {
        func list(_ items: [String]) -> Any { arrays ? items : items.joined(separator: ";") }
        func weighted(_ items: [Weighted]) -> Any { list(items.map { "\($0.key):\($0.weight)" }) }
        return try profiles.map { p in
            var object: [String: Any] = [
                "id": p.id, "name": p.name, "country": p.country, "region": p.region, "lat": p.latitude, "lon": p.longitude,
                "population": p.population, "languages": list(p.languages), "themes": weighted(p.themes), "offers": list(p.offers),
                "seeks": list(p.seeks), "migration_links": weighted(p.migrationLinks), "networks": list(p.networks),
                "partners": list(p.partners), "sources": list(p.sources), "alternate_names": list(p.alternateNames),
            ]
            if let v = p.nameVariants { object["name_variants"] = v }
            if let s = p.status { object["status"] = s.rawValue }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }
}
