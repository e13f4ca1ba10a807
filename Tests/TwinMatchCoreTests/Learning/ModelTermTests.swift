import Foundation
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// A seeded world in which every model term is non-zero for some pair: three countries with regions,
/// themes, offers and seeks, languages, networks, migration links, namesakes, name variants and known
/// partnerships (some listed by the profiles themselves).
func richWorld(places: Int = 90, seed: UInt64 = 11) -> (ProfileSet, [(Int, Int)]) {
    var rng = SeededGenerator(seed: seed)
    let countries = [("FR", 45.0, 4.0, "fr"), ("DE", 50.0, 9.0, "de"), ("SN", 14.7, -17.4, "fr")]
    let themes = ThemeVocabulary.themes
    var profiles: [CityProfile] = []
    for i in 0..<places {
        let (country, lat, lon, language) = countries[i % 3]
        var p = CityProfile(id: "\(500 + i)", name: "Town \(i % 40)", country: country,
                            region: String(rng.int(4)), latitude: lat + Double(rng.int(300)) / 100, longitude: lon + Double(rng.int(300)) / 100,
                            population: Double(1000 + rng.int(400_000)), languages: [language] + (rng.int(3) == 0 ? ["en"] : []))
        p.themes = [Weighted(themes[rng.int(themes.count)], 1), Weighted(themes[rng.int(themes.count)], 0.5)]
        p.offers = [themes[rng.int(6)]]
        p.seeks = [themes[rng.int(6)]]
        p.networks = rng.int(2) == 0 ? ["intercultural-cities"] : ["covenant-of-mayors"]
        p.migrationLinks = [Weighted(countries[(i + 1) % 3].0, 0.3), Weighted(countries[(i + 2) % 3].0, 0.1)]
        p.nameVariants = rng.int(40)
        if i % 4 == 0 { p.networks.append("urbact-net-\(i % 3)") }
        profiles.append(p)
    }
    // The profiles list a few partnerships themselves; the rest are known pairs.
    for i in stride(from: 0, to: places - 4, by: 9) { profiles[i].partners.append(profiles[i + 4].id) }
    var pairs: [(Int, Int)] = []
    for _ in 0..<(places * 2 / 3) {
        let a = rng.int(places), b = rng.int(places)
        if a != b { pairs.append((a, b)) }
    }
    // Close pairs, so that the kernels of 50 and 150 km reach partnered places.
    for i in stride(from: 0, to: places - 3, by: 6) { pairs.append((i, i + 3)) }
    let set = try! ProfileLoader().load(path: temporaryFile(ProfileWriter.csv(profiles)))
    return (set, pairs)
}

final class ModelTermTests: XCTestCase {
    /// No term is silently 0: each has a non-zero reference value for some pair of the rich world.
    func testEveryTermIsNonZeroSomewhere() {
        let (set, pairs) = richWorld()
        let context = TermContext(corpus: Corpus(profiles: set), knownPairs: pairs)
        var seen = Set<ModelTerm>()
        for q in 0..<set.count {
            let terms = context.query(q)
            for c in 0..<set.count where c != q {
                for t in ModelTerm.allCases where !seen.contains(t) && terms.value(t, c) != 0 { seen.insert(t) }
            }
        }
        XCTAssertEqual(Set(ModelTerm.allCases).subtracting(seen), [], "terms that are 0 for every pair")
    }

    /// Each term weighted alone, positively and negatively: the fast path's top-k and ranks equal a full
    /// sort of the reference scores (`QueryTerms.value`, summed in Double).
    func testEachTermAloneRanksAsAFullSort() {
        let (set, pairs) = richWorld()
        let context = TermContext(corpus: Corpus(profiles: set), knownPairs: pairs)
        let queries = [0, 4, 9, 31, 57, 88]
        let admissible: ExactSearch.Admissible = { q, c in c != q && !context.graph.contains(q, c) }
        for t in ModelTerm.allCases {
            for w in [1.0, -1.0] {
                let ranker = ModelRanker(context: context, model: TwinModel(weights: [t: w]),
                                         search: SearchOptions(queryBlock: 4, candidateBlock: 13, threads: 2))
                let fast = ranker.neighbours(queries: queries, k: 7, admissible: admissible)
                for (i, q) in queries.enumerated() {
                    let terms = context.query(q)
                    var reference = (0..<set.count).filter { admissible(q, $0) }.map { (row: $0, score: w * Double(terms.value(t, $0))) }
                    reference.sort { $0.score != $1.score ? $0.score > $1.score : set.idRank[$0.row] < set.idRank[$1.row] }
                    assertMatchesReference(fast[i], Array(reference.prefix(7)), tolerance: 1e-4, "\(t.rawValue) × \(w), query \(q)")
                }
            }
        }
    }

    /// The shipped model loads and ranks: its top 10 equal a full sort of its scores, and every list's
    /// contributions add up to its score.
    func testShippedModelRanksAsAFullSort() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let model = try TwinModel.load(path: root.appendingPathComponent("models/default.json").path)
        let (set, pairs) = richWorld()
        let corpus = Corpus(profiles: set)
        let ranker = ModelRanker(context: TermContext(corpus: corpus, knownPairs: pairs, reference: model.reference), model: model,
                                 search: SearchOptions(queryBlock: 5, candidateBlock: 16, threads: 2))
        let queries = Array(stride(from: 0, to: set.count, by: 7))
        let lists = ranker.recommend(queries: queries, limit: 10, filter: .byScore)
        for (q, list) in zip(queries, lists) {
            var reference = (0..<set.count).filter { ranker.admits(query: q, candidate: $0, filter: .byScore) }
                .map { (row: $0, score: ranker.score(query: q, candidate: $0)) }
            reference.sort { $0.score != $1.score ? $0.score > $1.score : set.idRank[$0.row] < set.idRank[$1.row] }
            assertMatchesReference(list.results.map { Neighbor(row: $0.row, score: Float($0.score)) }, Array(reference.prefix(10)),
                                   tolerance: 1e-3, "query \(q)")
            for r in list.results { XCTAssertEqual(r.contributions.reduce(0) { $0 + $1.value }, r.score, accuracy: 1e-9) }
        }
    }

    /// Every term is declared: its kind agrees with where its value comes from.
    func testDescriptorsAgreeWithTheValues() {
        let (set, pairs) = richWorld(places: 30)
        let context = TermContext(corpus: Corpus(profiles: set), knownPairs: pairs)
        for (k, t) in ModelTerm.allCases.enumerated() {
            XCTAssertEqual(t.kind == .candidate, !context.candidateColumns[k].isEmpty, t.rawValue)
            XCTAssertEqual(t.kind == .graph, QueryTerms.slot[t] != nil, t.rawValue)
            XCTAssertEqual(t.kind == .dense, t.descriptor.fastPath == .gemm, t.rawValue)
            XCTAssertFalse(t.meaning.isEmpty, t.rawValue)
        }
    }
}
