import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class FeatureExtractorTests: XCTestCase {
    func sample() throws -> (ProfileSet, FeatureExtractor, FloatMatrix) {
        let set = try ProfileLoader().load(path: temporaryFile(sampleCSV))
        let extractor = FeatureExtractor(schema: FeatureSchema.fit(set.profiles))
        return (set, extractor, extractor.transform(set.profiles))
    }

    func testEveryGroupIsUnitNormOrAbsent() throws {
        let (set, extractor, x) = try sample()
        let ranges = extractor.schema.ranges
        for row in 0..<set.count {
            let v = x.row(row)
            for g in FeatureGroup.allCases where g != .geography {
                let r = ranges[g]!
                let halves: [Range<Int>] = (g == .complementarity || g == .migration)
                    ? [r.lowerBound..<(r.lowerBound + r.count / 2), (r.lowerBound + r.count / 2)..<r.upperBound] : [r]
                for h in halves {
                    let norm = sqrt(h.reduce(0.0) { $0 + Double(v[$1]) * Double(v[$1]) })
                    XCTAssertTrue(abs(norm - 1) < 1e-5 || norm == 0, "row \(row) group \(g): norm \(norm)")
                }
            }
            XCTAssertFalse(v.contains { !$0.isFinite }, "row \(row) has a non-finite value")
        }
    }

    func testContributionsAddUpToTheInnerProductPlusPairGroupsAndAreSymmetric() throws {
        let (set, extractor, x) = try sample()
        let weights = GroupWeights()
        let ranker = ContentRanker(corpus: Corpus(profiles: set), weights: weights)
        for a in 0..<set.count {
            let q = extractor.queryVector(x.row(a), weights: weights)
            let pairTerms = ranker.corpus.pairGroups.terms(queryRows: [a], weights: weights)
            for b in 0..<set.count {
                let sims = extractor.similarities(x.row(a), x.row(b))
                let dense = FeatureGroup.allCases.filter { !$0.isPairGroup }.reduce(0.0) { $0 + weights[$1] * sims[$1]! }
                let dot = zip(q, x.row(b)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                XCTAssertEqual(dense, dot, accuracy: 1e-5, "pair \(a),\(b)")
                let explained = ranker.score(query: a, candidate: b)
                XCTAssertEqual(explained.score, dot + Double(pairTerms.extra(query: 0, candidate: b)), accuracy: 1e-5)
                XCTAssertLessThanOrEqual(pairTerms.extra(query: 0, candidate: b), pairTerms.bound(query: 0), "the bound holds")
                let back = ranker.score(query: b, candidate: a)
                for (c1, c2) in zip(explained.contributions, back.contributions) {
                    XCTAssertEqual(c1.value, c2.value, accuracy: 1e-6, "\(c1.name) symmetric for \(a),\(b)")
                }
            }
        }
    }

    func testGroupMeanings() throws {
        let (set, extractor, x) = try sample()
        let annecy = 0, vicenza = 2, zadar = 3, lyon = 4, dakar = 5, empty = 6
        let pairs = extractor.pairGroups(set.profiles)
        XCTAssertEqual(pairs.countrySimilarity(annecy, lyon), 1, "same country")
        XCTAssertEqual(pairs.countrySimilarity(annecy, vicenza), 0.5, "same continent")
        XCTAssertEqual(pairs.countrySimilarity(annecy, dakar), 0)
        // Vicenza's only link is Turkey (normalised to 1); nobody links to Italy.
        XCTAssertEqual(pairs.migrationSimilarity(vicenza, annecy), 0)
        XCTAssertEqual(pairs.migrationSimilarity(lyon, dakar), 0, "Lyon's link is Algeria, not Senegal")
        XCTAssertEqual(extractor.similarities(x.row(annecy), x.row(annecy))[.geography]!, 1, accuracy: 1e-5)
        // Annecy offers creative-industries, Zadar seeks it: one of two directions, so 0.5.
        XCTAssertEqual(extractor.similarities(x.row(annecy), x.row(zadar))[.complementarity]!, 0.5, accuracy: 1e-6)
        XCTAssertEqual(extractor.similarities(x.row(annecy), x.row(vicenza))[.complementarity]!, 0.5, accuracy: 1e-6, "Vicenza offers what Annecy seeks")
        // A city with no themes, population or languages contributes 0 there, not NaN.
        let e = extractor.similarities(x.row(annecy), x.row(empty))
        for g in [FeatureGroup.themes, .size, .languages, .networks, .complementarity] { XCTAssertEqual(e[g]!, 0, "\(g)") }
        XCTAssertEqual(set.profiles[empty].population, 0)
    }

    func testGeographyCrossesZeroAtTheScale() {
        let a = CityProfile(id: "a", name: "A", country: "FR", latitude: 0, longitude: 0, population: 1000)
        let km = 2000.0
        let b = CityProfile(id: "b", name: "B", country: "DE", latitude: 0, longitude: km / earthRadiusKm * 180 / .pi, population: 1000)
        let extractor = FeatureExtractor(schema: FeatureSchema.fit([a, b], geographyScaleKm: km))
        XCTAssertEqual(extractor.similarities(extractor.vector(a), extractor.vector(b))[.geography]!, 0, accuracy: 1e-3)
        XCTAssertEqual(haversineKm(0, 0, 0, km / earthRadiusKm * 180 / .pi), km, accuracy: 1e-6)
    }

    func testSizeSimilarityFallsWithTheRatio() {
        func city(_ pop: Double) -> CityProfile { CityProfile(id: "\(pop)", name: "x", country: "FR", latitude: 0, longitude: 0, population: pop) }
        let cities = [city(50_000), city(50_000), city(150_000), city(1_500_000)]
        let extractor = FeatureExtractor(schema: FeatureSchema.fit(cities))
        let v = cities.map(extractor.vector)
        let same = extractor.similarities(v[0], v[1])[.size]!, x3 = extractor.similarities(v[0], v[2])[.size]!, x30 = extractor.similarities(v[0], v[3])[.size]!
        XCTAssertEqual(same, 1, accuracy: 1e-5)
        XCTAssertTrue(same > x3 && x3 > x30 && x30 < 0.1, "\(same) \(x3) \(x30)")
    }

    func testDoublingAWeightDoublesItsContribution() throws {
        let (set, _, _) = try sample()
        let corpus = Corpus(profiles: set)
        var weights = GroupWeights()
        let base = ContentRanker(corpus: corpus, weights: weights).score(query: 0, candidate: 3)
        weights[.themes] *= 2
        let doubled = ContentRanker(corpus: corpus, weights: weights).score(query: 0, candidate: 3)
        let t0 = base.contributions.first { $0.name == "themes" }!.value, t1 = doubled.contributions.first { $0.name == "themes" }!.value
        XCTAssertEqual(t1, 2 * t0, accuracy: 1e-9)
        XCTAssertEqual(doubled.score - base.score, t0, accuracy: 1e-9)
    }

    func testWeightsParse() throws {
        let w = try GroupWeights.parse("themes=0.5, size=0")
        XCTAssertEqual(w[.themes], 0.5)
        XCTAssertEqual(w[.size], 0)
        XCTAssertEqual(w[.geography], FeatureGroup.defaultWeights[.geography])
        XCTAssertThrowsError(try GroupWeights.parse("colour=1"))
        XCTAssertThrowsError(try GroupWeights.parse("themes=-1"))
        XCTAssertThrowsError(try GroupWeights.parse("themes=abc"))
    }
}

final class PairGroupTests: XCTestCase {
    func testMigrationLinksBothDirections() throws {
        let text = """
        id,name,country,lat,lon,population,migration_links
        1,Turin,IT,45.07,7.68,870000,SN:0.6;MA:0.8
        2,Dakar,SN,14.69,-17.45,2476400,
        3,Marseille,FR,43.3,5.4,870000,SN:1
        4,Casablanca,MA,33.6,-7.6,3000000,IT:1
        """
        let set = try ProfileLoader().load(path: temporaryFile(text))
        let extractor = FeatureExtractor(schema: FeatureSchema.fit(set.profiles))
        let pairs = extractor.pairGroups(set.profiles)
        XCTAssertEqual(pairs.migrationSimilarity(0, 1), 0.5 * 0.6, accuracy: 1e-6, "Turin's Senegalese community, normalised 0.6/1.0")
        XCTAssertEqual(pairs.migrationSimilarity(1, 0), pairs.migrationSimilarity(0, 1), "symmetric")
        XCTAssertEqual(pairs.migrationSimilarity(0, 3), 0.5 * (0.8 + 1), accuracy: 1e-6, "links in both directions add up")
        let terms = pairs.terms(queryRows: [0, 1, 2, 3], weights: GroupWeights())
        for q in 0..<4 { for c in 0..<4 { XCTAssertLessThanOrEqual(terms.extra(query: q, candidate: c), terms.bound(query: q)) } }
    }

    /// Extras only enter where they could matter: the search with a tight bound equals the exhaustive reference.
    func testSearchWithExtrasMatchesTheReference() {
        struct Lookup: PairTerms {
            let table: [[Float]]
            func bound(query: Int) -> Float { table[query].max() ?? 0 }
            func extra(query: Int, candidate: Int) -> Float { table[query][candidate] }
        }
        var rng = SeededGenerator(seed: 11)
        let q = randomMatrix(rows: 23, cols: 5, using: &rng), x = randomMatrix(rows: 97, cols: 5, using: &rng)
        let table = (0..<23).map { _ in (0..<97).map { _ in Float.random(in: 0...2, using: &rng) } }
        let ranks = ProfileSet.ranks(of: (0..<97).map(String.init))
        let fast = ExactSearch.topK(queries: q, candidates: x, k: 7, tieRank: ranks, extras: Lookup(table: table),
                                    options: SearchOptions(queryBlock: 5, candidateBlock: 13, threads: 2))
        for i in 0..<23 {
            // Reference: the lookups of query i as a per-candidate bias, every score in Double.
            let ref = referenceTopK(queries: q.gatherRows([i]), candidates: x, k: 7, tieRank: ranks, bias: table[i])[0]
            assertMatchesReference(fast[i], ref, "query \(i)")
        }
    }
}
