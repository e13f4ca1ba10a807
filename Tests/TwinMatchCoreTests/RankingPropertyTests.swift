import Foundation
import PropertyBased
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// A seeded world (up to 40 places around four hubs, some known partnerships), a ranker (the content
/// similarity or a random learned model of one or two tiers), a request (queries, limit, a random filter
/// with every option, spread, shape, blend and mutual fit), a tighter filter (the request's plus one more
/// restriction), and a filter of a per-country cap alone (which the random filter's restrictions would
/// seldom leave anything to cap).
struct RankingCase: CustomStringConvertible, Sendable {
    let profiles: [CityProfile]
    let known: [[Int]]
    let model: TwinModel?
    let filter: CandidateFilter
    let tighter: CandidateFilter
    let tightening: String
    let capped: CandidateFilter
    let queries: [Int]
    let limit: Int
    let options: SearchOptions

    var description: String {
        let ranker = model.map { m in "a model of \(m.tiers.count) tier(s), \(m.tiers.map { $0.weights.filter { $0 != 0 }.count }) terms" } ?? "content"
        return "\(profiles.count) places, \(known.count) known pairs, \(ranker), queries \(queries), limit \(limit), filter {\(describe(filter))}, "
            + "tightened by \(tightening), capped {\(describe(capped))}, blocks \(options.queryBlock) × \(options.candidateBlock), \(options.threads) threads"
    }

    var corpus: Corpus { Corpus(profiles: ProfileSet(profiles: profiles, source: "memory")) }

    func ranker(_ corpus: Corpus) -> any Ranker {
        corpus.ranker(known: known.map { ($0[0], $0[1]) }, model: model, search: options)
    }

    /// The partnerships no list may propose: the profiles' own and the known pairs, smaller row first.
    var partnerships: Set<[Int]> {
        var row: [String: Int] = [:]
        for (i, p) in profiles.enumerated() { row[p.id] = i }
        var out = Set(known.map { [min($0[0], $0[1]), max($0[0], $0[1])] })
        for (a, p) in profiles.enumerated() {
            for id in p.partners { if let b = row[id] { out.insert([min(a, b), max(a, b)]) } }
        }
        return out
    }

    static let generator = Generator<RankingCase, Shrink.None<RankingCase>> { rng in
        let profiles = ProfileGen.profiles(count: 0...40, tricky: false, clustered: true).run(using: &rng)
        let n = profiles.count
        let row = Gen.int(in: 0...max(0, n - 1))
        var known: [[Int]] = []
        if n > 1 {
            for _ in 0..<Gen.int(in: 0...n).run(using: &rng) {
                let a = row.run(using: &rng), b = row.run(using: &rng)
                if a != b { known.append([a, b]) }
            }
        }
        func weights() -> [ModelTerm: Double] {
            var w: [ModelTerm: Double] = [:]
            for t in ProfileGen.some(ModelTerm.allCases, max: 8).run(using: &rng) { w[t] = Double(Gen.int(in: -20...20).run(using: &rng)) / 10 }
            return w
        }
        let model: TwinModel?
        switch Gen.int(in: 0...2).run(using: &rng) {
        case 0: model = nil
        case 1: model = TwinModel(weights: weights())
        default: model = TwinModel(tiers: [TwinModel.Tier(minPartners: 0, weights: weights()), TwinModel.Tier(minPartners: 2, weights: weights())])
        }
        let filter = randomFilter(profiles, &rng)
        let (tighter, tightening) = tighten(filter, profiles, &rng)
        var capped = CandidateFilter()
        capped.excludeSameCountry = Gen.bool.run(using: &rng)
        capped.maxNearby = Gen.element(of: [nil, 2] as [Int?]).run(using: &rng)!
        capped.shape = ListShape(maxPerCountry: Gen.int(in: 1...2).run(using: &rng), mixedSizes: Gen.bool.run(using: &rng),
                                 relevance: Gen.element(of: [nil, 0.5] as [Double?]).run(using: &rng)!)
        let queries = n == 0 ? [] : row.array(of: 0...3).run(using: &rng)
        let limit = Gen.element(of: [0, 1, 3, 8, n, n + 4]).run(using: &rng)!
        let options = SearchOptions(queryBlock: Gen.int(in: 1...5).run(using: &rng), candidateBlock: Gen.int(in: 1...23).run(using: &rng),
                                    threads: Gen.int(in: 1...3).run(using: &rng))
        return RankingCase(profiles: profiles, known: known, model: model, filter: filter, tighter: tighter, tightening: tightening,
                           capped: capped, queries: queries, limit: limit, options: options)
    }

    /// A filter with each option set now and then, the others at their defaults.
    static func randomFilter(_ profiles: [CityProfile], _ rng: inout any SeededRandomNumberGenerator) -> CandidateFilter {
        func sometimes(_ rate: Float = 0.25) -> Bool { Gen.bool(rate).run(using: &rng) }
        var f = CandidateFilter()
        f.excludeSameCountry = Gen.bool.run(using: &rng)
        if sometimes() { f.minKm = Gen.element(of: [0.0, 20, 300]).run(using: &rng)! }
        if sometimes() { f.maxKm = Gen.element(of: [0.0, 50, 800, 3000]).run(using: &rng)! }
        if sometimes() { f.minPopulation = Gen.element(of: [0.0, 1000, 100_000]).run(using: &rng)! }
        if sometimes() { f.maxPopulation = Gen.element(of: [0.0, 50_000, 1_000_000]).run(using: &rng)! }
        if sometimes() { f.countries = Set(ProfileGen.some(ProfileGen.countries, max: 3).run(using: &rng)) }
        if sometimes() { f.excludedCountries = Set(ProfileGen.some(ProfileGen.countries, max: 2).run(using: &rng)) }
        let regionKeys = Array(Set(profiles.map { "\($0.country)/\($0.region)" })).sorted()
        if sometimes(0.15) { f.regions = Set(ProfileGen.some(regionKeys, max: 3).run(using: &rng)) }
        if sometimes(0.15) { f.areas = Set(ProfileGen.some(regionKeys + ProfileGen.countries, max: 4).run(using: &rng)) }
        f.onlyOpen = sometimes(0.15)
        if sometimes() { f.requiredThemes = ProfileGen.some(Array(ThemeVocabulary.themes.prefix(8)), max: 1).run(using: &rng) }
        if sometimes(0.15) { f.requiredNetworks = ProfileGen.some(ProfileGen.networks + ["no-such-network"], max: 1).run(using: &rng) }
        f.blend = Gen.element(of: [Blend.peer, .peer, .mode(.complement), .mode(.diaspora), Blend(peer: 0.5, complement: 1, diaspora: 0.5),
                                   Blend(peer: 0, complement: 1)]).run(using: &rng)!
        f.maxNearby = Gen.element(of: [nil, 1, 2] as [Int?]).run(using: &rng)!
        if sometimes() {
            f.shape = ListShape(maxPerCountry: Gen.element(of: [nil, 1, 2] as [Int?]).run(using: &rng)!, mixedSizes: Gen.bool.run(using: &rng),
                                relevance: Gen.element(of: [nil, 0.0, 0.5] as [Double?]).run(using: &rng)!)
        }
        f.mutual = sometimes(0.15)
        return f
    }

    /// `f` with one more restriction, so that every candidate it admits `f` admits too.
    static func tighten(_ f: CandidateFilter, _ profiles: [CityProfile], _ rng: inout any SeededRandomNumberGenerator) -> (CandidateFilter, String) {
        var t = f
        switch Gen.int(in: 0...5).run(using: &rng) {
        case 0:
            let c = Gen.element(of: ProfileGen.countries).run(using: &rng)!
            t.excludedCountries.insert(c)
            return (t, "excluding \(c)")
        case 1:
            let m = Gen.element(of: [1000.0, 50_000, 400_000]).run(using: &rng)!
            t.minPopulation = max(f.minPopulation ?? 0, m)
            return (t, "a population of at least \(m)")
        case 2:
            let theme = Gen.element(of: Array(ThemeVocabulary.themes.prefix(8))).run(using: &rng)!
            if !t.requiredThemes.contains(theme) { t.requiredThemes.append(theme) }
            return (t, "the theme \(theme)")
        case 3:
            t.onlyOpen = true
            return (t, "open places only")
        case 4:
            let km = Gen.element(of: [100.0, 1000, 2500]).run(using: &rng)!
            t.maxKm = min(f.maxKm ?? .infinity, km)
            return (t, "at most \(km) km")
        default:
            t.excludeSameCountry = true
            return (t, "other countries only")
        }
    }
}

/// The filter's options that are not at their defaults.
func describe(_ f: CandidateFilter) -> String {
    var parts: [String] = []
    let d = CandidateFilter()
    if f.excludeSameCountry != d.excludeSameCountry { parts.append("same country allowed") }
    if let x = f.minKm { parts.append("min km \(x)") }
    if let x = f.maxKm { parts.append("max km \(x)") }
    if let x = f.minPopulation { parts.append("min population \(x)") }
    if let x = f.maxPopulation { parts.append("max population \(x)") }
    if !f.countries.isEmpty { parts.append("countries \(f.countries.sorted())") }
    if !f.excludedCountries.isEmpty { parts.append("excluded \(f.excludedCountries.sorted())") }
    if !f.regions.isEmpty { parts.append("regions \(f.regions.sorted())") }
    if let a = f.areas { parts.append("areas \(a.sorted())") }
    if f.onlyOpen { parts.append("open only") }
    if !f.requiredThemes.isEmpty { parts.append("themes \(f.requiredThemes)") }
    if !f.requiredNetworks.isEmpty { parts.append("networks \(f.requiredNetworks)") }
    if !f.blend.isPeer { parts.append("blend \(f.blend.description)") }
    if f.maxNearby != d.maxNearby { parts.append("max nearby \(f.maxNearby.map(String.init) ?? "none")") }
    if !f.shape.isPlain { parts.append("shape \(f.shape)") }
    if f.mutual { parts.append("mutual") }
    return parts.joined(separator: ", ")
}

extension CandidateFilter {
    /// The filter's candidates in plain score order: no spread, shape or mutual fit.
    var plain: CandidateFilter {
        var f = self
        f.maxNearby = nil
        f.shape = ListShape()
        f.mutual = false
        return f
    }
}

final class RankingPropertyTests: XCTestCase {
    /// Whether `f` admits candidate `c` for query `q`, read from the profiles' fields alone.
    func referenceAdmits(_ q: Int, _ c: Int, _ f: CandidateFilter, _ p: [CityProfile], _ partnerships: Set<[Int]>) -> Bool {
        let a = p[q], b = p[c]
        if c == q || partnerships.contains([min(q, c), max(q, c)]) { return false }
        if let x = f.minPopulation, b.population < x { return false }
        if let x = f.maxPopulation, b.population > x { return false }
        if f.excludeSameCountry && a.country == b.country { return false }
        if !f.countries.isEmpty && !f.countries.contains(b.country) { return false }
        if f.excludedCountries.contains(b.country) { return false }
        let regionKey = "\(b.country)/\(b.region)"
        if !f.regions.isEmpty && !f.regions.contains(regionKey) { return false }
        if let areas = f.areas, !areas.contains(b.country) && !areas.contains(regionKey) { return false }
        if f.onlyOpen && b.status != .open { return false }
        let km = haversineKm(a.latitude, a.longitude, b.latitude, b.longitude)
        if let x = f.minKm, km < x { return false }
        if let x = f.maxKm, km > x { return false }
        if !f.requiredThemes.allSatisfy(b.allThemes.contains) { return false }
        if !f.requiredNetworks.allSatisfy(b.networks.contains) { return false }
        return true
    }

    /// Every admissible candidate of `q` under `f` with its score in plain Double: the blend's weights on
    /// the ranker's terms (`contributions`) and on the complement and diaspora fits, best first, ties by id.
    func referenceList(_ q: Int, _ f: CandidateFilter, _ c: RankingCase, _ corpus: Corpus, _ ranker: any Ranker,
                       _ partnerships: Set<[Int]>) -> [(row: Int, score: Double)] {
        let complement = Complement(corpus, row: q, stated: f.interests), diaspora = Diaspora(corpus, row: q)
        var out: [(row: Int, score: Double)] = []
        for candidate in c.profiles.indices where referenceAdmits(q, candidate, f, c.profiles, partnerships) {
            var s = f.blend.peer * ranker.contributions(query: q, candidate: candidate).reduce(0) { $0 + $1.value }
            if f.blend.complement > 0 { s += ranker.interestWeight * f.blend.complement * complement.fit(candidate, in: corpus) }
            if f.blend.diaspora > 0 { s += ranker.interestWeight * f.blend.diaspora * diaspora.fit(candidate, in: corpus) }
            out.append((candidate, s))
        }
        let idRank = corpus.idRank
        return out.sorted { $0.score != $1.score ? $0.score > $1.score : idRank[$0.row] < idRank[$1.row] }
    }

    /// Under any filter (spread, shape and mutual fit included) no listed candidate violates it, none is
    /// listed twice, the per-country cap holds, and the list is as long as the limit and the admissible
    /// candidates allow; it is numbered in score order, and every score is the sum of its terms and of its
    /// reasons' points.
    func testListsNeverLeakAndTheirTermsAddUp() {
        forAll(RankingCase.generator, seeds: 0..<250) { c in
            let corpus = c.corpus, ranker = c.ranker(corpus), partnerships = c.partnerships
            for (q, f) in c.queries.flatMap({ q in [(q, c.filter), (q, c.capped)] }) {
                let shortlist = ranker.shortlist(q, limit: c.limit, filter: f)
                let results = shortlist.list.results, rows = results.map(\.row)
                let admissible = c.profiles.indices.filter { referenceAdmits(q, $0, f, c.profiles, partnerships) }
                XCTAssertEqual(Set(rows).count, rows.count, "query \(q): a candidate listed twice")
                for r in rows where !referenceAdmits(q, r, f, c.profiles, partnerships) {
                    XCTFail("query \(q): row \(r) (\(c.profiles[r].country), \(c.profiles[r].population)) does not pass the filter")
                }
                if let cap = f.shape.maxPerCountry {
                    let counts = Dictionary(grouping: rows, by: { c.profiles[$0].country }).mapValues(\.count)
                    XCTAssertLessThanOrEqual(counts.values.max() ?? 0, cap, "query \(q): the per-country cap")
                    XCTAssertLessThanOrEqual(rows.count, min(c.limit, admissible.count))
                } else {
                    XCTAssertEqual(rows.count, min(c.limit, admissible.count), "query \(q): the list is as long as it can be")
                }
                XCTAssertEqual(results.map(\.rank), results.indices.map { $0 + 1 }, "query \(q): numbered from 1")
                for (a, b) in zip(results, results.dropFirst()) { XCTAssertGreaterThanOrEqual(a.score, b.score, "query \(q): score order") }
                XCTAssertEqual(shortlist.notice == nil, !results.isEmpty, "query \(q): a notice exactly when the list is empty")
                for (r, why) in zip(results, shortlist.reasons) {
                    let tolerance = 1e-9 * max(1, abs(r.score))
                    XCTAssertEqual(r.contributions.reduce(0) { $0 + $1.value }, r.score, accuracy: tolerance, "query \(q), row \(r.row): terms")
                    XCTAssertEqual(why.rawScore, r.score, accuracy: tolerance)
                    XCTAssertEqual(why.baseline + why.families.reduce(0) { $0 + $1.points }, why.score, accuracy: 1e-9, "query \(q), row \(r.row): points")
                    let rounded = why.roundedPoints
                    XCTAssertEqual(rounded.baseline + rounded.families.reduce(0, +), rounded.score, "query \(q), row \(r.row): rounded points")
                }
            }
        }
    }

    /// In plain score order the lists of several queries at once are the plain Double reference's first
    /// `limit` (scores within Float's error where candidates nearly tie, rows otherwise the same), each
    /// reported score is the reference's exactly, and `explain` gives the same score and terms.
    func testScoresAreThePlainDoubleReference() {
        forAll(RankingCase.generator, seeds: 0..<250) { c in
            let corpus = c.corpus, ranker = c.ranker(corpus), partnerships = c.partnerships, f = c.filter.plain
            let lists = ranker.recommend(queries: c.queries, limit: c.limit, filter: f)
            XCTAssertEqual(lists.map(\.query), c.queries)
            for (q, list) in zip(c.queries, lists) {
                let reference = referenceList(q, f, c, corpus, ranker, partnerships)
                let scores = Dictionary(uniqueKeysWithValues: reference.map { ($0.row, $0.score) })
                assertMatchesReference(list.results.map { Neighbor(row: $0.row, score: Float($0.score)) }, Array(reference.prefix(max(0, c.limit))),
                                       tolerance: 1e-3, "query \(q)")
                for r in list.results {
                    guard let s = scores[r.row] else { continue }
                    XCTAssertEqual(r.score, s, accuracy: 1e-9 * max(1, abs(s)), "query \(q), row \(r.row): the Double score")
                    let e = ranker.explain(q, r.row, filter: f)
                    XCTAssertEqual(e.score, r.score, accuracy: 1e-9 * max(1, abs(s)), "query \(q), row \(r.row): explain's score")
                    XCTAssertEqual(e.contributions.map(\.name), r.contributions.map(\.name), "query \(q), row \(r.row): explain's terms")
                }
            }
        }
    }

    /// A tighter filter's list is dominated by the looser one's, rank by rank; a candidate it lists that the
    /// looser list leaves out scores no better than the looser list's last, which is then full.
    func testATighterFilterIsDominated() {
        forAll(RankingCase.generator, seeds: 0..<250) { c in
            let corpus = c.corpus, ranker = c.ranker(corpus), partnerships = c.partnerships
            let loose = ranker.recommend(queries: c.queries, limit: c.limit, filter: c.filter.plain)
            let tight = ranker.recommend(queries: c.queries, limit: c.limit, filter: c.tighter.plain)
            for (i, q) in c.queries.enumerated() {
                let a = loose[i].results, b = tight[i].results
                for r in b where !referenceAdmits(q, r.row, c.tighter, c.profiles, partnerships) {
                    XCTFail("query \(q): row \(r.row) does not pass the tighter filter")
                }
                XCTAssertGreaterThanOrEqual(a.count, b.count, "query \(q)")
                for (rank, (x, y)) in zip(a, b).enumerated() {
                    XCTAssertGreaterThanOrEqual(x.score, y.score - 1e-3, "query \(q), rank \(rank + 1)")
                }
                let listed = Set(a.map(\.row))
                for y in b where !listed.contains(y.row) {
                    XCTAssertEqual(a.count, c.limit, "query \(q): row \(y.row) left out of a list with room")
                    XCTAssertLessThanOrEqual(y.score, (a.last?.score ?? -.infinity) + 1e-3, "query \(q): row \(y.row) beats the looser list's last")
                }
            }
        }
    }
}
