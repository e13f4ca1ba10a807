import XCTest
@testable import TwinMatchCore

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

    func testContributionsAddUpToTheInnerProductAndAreSymmetric() throws {
        let (set, extractor, x) = try sample()
        let weights = GroupWeights()
        for a in 0..<set.count {
            let q = extractor.queryVector(x.row(a), weights: weights)
            for b in 0..<set.count {
                let sims = extractor.similarities(x.row(a), x.row(b))
                let total = FeatureGroup.allCases.reduce(0.0) { $0 + weights[$1] * sims[$1]! }
                let dot = zip(q, x.row(b)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                XCTAssertEqual(total, dot, accuracy: 1e-5, "pair \(a),\(b)")
                let back = extractor.similarities(x.row(b), x.row(a))
                for g in FeatureGroup.allCases { XCTAssertEqual(sims[g]!, back[g]!, accuracy: 1e-6, "\(g) symmetric for \(a),\(b)") }
            }
        }
    }

    func testGroupMeanings() throws {
        let (set, extractor, x) = try sample()
        let annecy = 0, vicenza = 2, zadar = 3, lyon = 4, empty = 6
        let s = extractor.similarities(x.row(annecy), x.row(lyon))
        XCTAssertEqual(s[.country]!, 1, accuracy: 1e-6, "same country")
        XCTAssertEqual(extractor.similarities(x.row(annecy), x.row(vicenza))[.country]!, 0.5, accuracy: 1e-6, "same continent")
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
        let recommender = Recommender(profiles: set)
        var weights = GroupWeights()
        let base = recommender.explainScore(query: 0, candidate: 3, weights: weights)
        weights[.themes] *= 2
        let doubled = recommender.explainScore(query: 0, candidate: 3, weights: weights)
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
