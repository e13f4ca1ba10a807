import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class ContentRankerTests: XCTestCase {
    func testFiltersAndExclusions() throws {
        let set = try ProfileLoader().load(path: temporaryFile(sampleCSV))
        let r = ContentRanker(corpus: Corpus(profiles: set))
        let annecy = 0
        let ids = { (f: CandidateFilter) in r.recommend(queries: [annecy], limit: 10, filter: f)[0].results.map { set.profiles[$0.row].id } }
        let all = ids(CandidateFilter())
        XCTAssertFalse(all.contains("1"), "itself")
        XCTAssertFalse(all.contains("2"), "its partner")
        XCTAssertFalse(all.contains("5"), "same country by default")
        var f = CandidateFilter()
        f.excludeSameCountry = false
        XCTAssertTrue(ids(f).contains("5"))
        f = CandidateFilter(); f.maxKm = 600
        XCTAssertEqual(Set(ids(f)), ["3", "7"], "Vicenza ~390 km, the German town ~490 km; Zadar ~740 km is out")
        f = CandidateFilter(); f.minKm = 1000
        XCTAssertEqual(ids(f), ["6"])
        f = CandidateFilter(); f.countries = ["HR"]
        XCTAssertEqual(ids(f), ["4"])
        f = CandidateFilter(); f.excludedCountries = ["HR", "SN"]
        XCTAssertEqual(Set(ids(f)), ["3", "7"])
        f = CandidateFilter(); f.requiredThemes = ["culture-heritage"]
        XCTAssertEqual(Set(ids(f)), ["3", "4"])
        f = CandidateFilter(); f.minPopulation = 100_000; f.maxPopulation = 1_000_000
        XCTAssertEqual(ids(f), ["3"])
    }

    func testScoresAreSortedAndContributionsAddUp() throws {
        let set = try ProfileLoader().load(path: temporaryFile(sampleCSV))
        let r = ContentRanker(corpus: Corpus(profiles: set))
        for query in 0..<set.count {
            let results = r.recommend(queries: [query], limit: 10)[0].results
            for (i, x) in results.enumerated() {
                XCTAssertEqual(x.rank, i + 1)
                XCTAssertEqual(x.contributions.reduce(0) { $0 + $1.value }, x.score, accuracy: 1e-9)
                if i > 0 { XCTAssertGreaterThanOrEqual(results[i - 1].score, x.score) }
            }
        }
    }

    func testExplainFindsComplementaryAndSuggestions() throws {
        let set = try ProfileLoader().load(path: temporaryFile(sampleCSV))
        let r = ContentRanker(corpus: Corpus(profiles: set))
        let e = r.explain(0, 3)
        XCTAssertEqual(e.complementary, [ComplementaryTheme(theme: "creative-industries", offeredBy: 0, soughtBy: 3)])
        XCTAssertEqual(e.suggestions.first?.topic, "creative-industries")
        XCTAssertFalse(e.existingPartnership)
        XCTAssertTrue(r.explain(0, 1).existingPartnership)
        XCTAssertEqual(e.contributions.reduce(0) { $0 + $1.value }, e.score, accuracy: 1e-12)
        let m = r.explain(2, 4)
        XCTAssertTrue(m.suggestions.contains { $0.topic == "migration-integration" } == false, "Vicenza's Turkish community has no link to France")
    }
}

final class SpreadTests: XCTestCase {
    /// Seeded clusters of places: the spread list equals a plain greedy pass over the full sort's first
    /// 3 × limit (passed-over candidates filling the end), and no spread is the full sort's prefix.
    func testSpreadMatchesAPlainGreedyPass() throws {
        withEvery("seed", in: 0..<6) { seed in
            var rng = SeededGenerator(seed: UInt64(seed))
            let hubs = [(45.0, 6.0), (48.0, 11.0), (50.0, 4.0)]
            let profiles = (0..<60).map { i -> CityProfile in
                let (lat, lon) = hubs[i % 3]
                return CityProfile(id: "\(100 + i)", name: "P\(i)", country: i == 0 ? "FR" : ["DE", "IT", "ES"][rng.int(3)],
                                   latitude: lat + Double(rng.int(40)) / 100, longitude: lon + Double(rng.int(40)) / 100,
                                   population: Double(1000 + rng.int(200_000)), themes: [Weighted(ThemeVocabulary.themes[rng.int(4)], 1)])
            }
            let corpus = Corpus(profiles: ProfileSet(profiles: profiles, source: "test"))
            let r = ContentRanker(corpus: corpus)
            for limit in [1, 4, 7, 25] {
                var none = CandidateFilter(); none.maxNearby = nil
                let full = r.recommend(queries: [0], limit: 59, filter: none)[0].results.map(\.row)
                XCTAssertEqual(r.recommend(queries: [0], limit: limit, filter: none)[0].results.map(\.row), Array(full.prefix(limit)))
                for cap in [1, 2] {
                    var f = CandidateFilter(); f.maxNearby = cap
                    var kept: [Int] = [], passed: [Int] = []
                    for c in full.prefix(3 * limit) where kept.count < limit {
                        let near = kept.filter { haversineKm(profiles[$0].latitude, profiles[$0].longitude, profiles[c].latitude, profiles[c].longitude) <= 30 }.count
                        if near < cap { kept.append(c) } else { passed.append(c) }
                    }
                    let expected = Set(kept + passed.prefix(limit - kept.count))
                    let got = r.recommend(queries: [0], limit: limit, filter: f)[0].results.map(\.row)
                    XCTAssertEqual(Set(got), expected, "limit \(limit), cap \(cap)")
                    XCTAssertEqual(got.count, min(limit, 59))
                }
            }
        }
    }
}
