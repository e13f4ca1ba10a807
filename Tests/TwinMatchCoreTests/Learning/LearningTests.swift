import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// A synthetic world with a known answer: towns of country A are twinned with their mirror image in
/// country B (same latitude, 1,000 km east), C with D likewise; populations vary.
func mirroredWorld(towns: Int = 60) -> (ProfileSet, [(Int, Int)]) {
    var profiles: [CityProfile] = []
    var pairs: [(Int, Int)] = []
    var rng = SeededGenerator(seed: 5)
    for (west, east, lat0) in [("FR", "DE", 44.0), ("ES", "PL", 36.0)] {
        for i in 0..<towns {
            let lat = lat0 + Double(i) * 0.1, lon = Double.random(in: -1...1, using: &rng)
            let pop = Double(Int.random(in: 1000...200_000, using: &rng))
            let a = profiles.count
            profiles.append(CityProfile(id: "\(1000 + a)", name: "W\(a)", country: west, latitude: lat, longitude: lon, population: pop))
            profiles.append(CityProfile(id: "\(1001 + a)", name: "E\(a)", country: east, latitude: lat, longitude: lon + 12, population: pop * 1.1))
            profiles[a].nameVariants = Int.random(in: 0...40, using: &rng)
            profiles[a + 1].nameVariants = Int.random(in: 0...40, using: &rng)
            pairs.append((a, a + 1))
        }
    }
    return (ProfileSet(profiles: profiles), pairs)
}

final class LearningTests: XCTestCase {
    func testLogisticRegressionRecoversKnownCoefficients() throws {
        var rng = SeededGenerator(seed: 3)
        let truth = [2.0, -1.0, 0.0], intercept = -0.5
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<20_000 {
            let row = (0..<3).map { _ in Double.random(in: -1...1, using: &rng) }
            let z = intercept + zip(truth, row).reduce(0) { $0 + $1.0 * $1.1 }
            x += row
            y.append(Double.random(in: 0..<1, using: &rng) < 1 / (1 + exp(-z)) ? 1 : 0)
        }
        let fit = try LogisticRegression.fit(x: x, y: y, dimension: 3, l2: 0)
        for j in 0..<3 { XCTAssertEqual(fit.coefficients[j], truth[j], accuracy: 0.12, "coefficient \(j)") }
        XCTAssertEqual(fit.coefficients[3], intercept, accuracy: 0.1)
    }

    /// A group's weight counts it that many times; offsets shared by a whole group change nothing; the
    /// sampled-softmax offsets equal a fit over every candidate once each.
    func testConditionalLogitWeightsAndOffsets() throws {
        var rng = SeededGenerator(seed: 11)
        let d = 2, groups = 300, size = 6
        var x: [Double] = [], starts: [Int] = []
        for _ in 0..<groups {
            starts.append(x.count / d)
            for i in 0..<size {
                let a = Double.random(in: -1...1, using: &rng), b = Double.random(in: -1...1, using: &rng)
                x += i == 0 ? [a + 0.8, b - 0.3] : [a, b]
            }
        }
        starts.append(x.count / d)
        let plain = try ConditionalLogit.fit(x: x, dimension: d, groupStarts: starts, initial: [0, 0], l2: 0.1)
        XCTAssertGreaterThan(plain[0], 0.5)
        XCTAssertLessThan(plain[1], -0.2)
        let shifted = try ConditionalLogit.fit(x: x, dimension: d, groupStarts: starts, initial: [0, 0],
                                               offsets: (0..<(x.count / d)).map { Double($0 / size) }, l2: 0.1)
        for j in 0..<d { XCTAssertEqual(shifted[j], plain[j], accuracy: 1e-6) }
        // Weight 2 on every group equals every group twice.
        var twice = x, twiceStarts = starts
        twice += x
        twiceStarts += starts.dropFirst().map { $0 + x.count / d }
        let duplicated = try ConditionalLogit.fit(x: twice, dimension: d, groupStarts: twiceStarts, initial: [0, 0], l2: 0.1)
        let weighted = try ConditionalLogit.fit(x: x, dimension: d, groupStarts: starts, initial: [0, 0],
                                                groupWeights: [Double](repeating: 2, count: groups), l2: 0.1)
        for j in 0..<d { XCTAssertEqual(weighted[j], duplicated[j], accuracy: 1e-6) }
        // The estimated rank scales the negatives' odds against the positive up to the pool.
        let ranks = ConditionalLogit.estimatedRanks(x: x, dimension: d, groupStarts: starts, weights: plain, pool: 1 + 5 * 10)
        XCTAssertEqual(ranks.count, groups)
        let score = { (r: Int) in plain[0] * x[r * d] + plain[1] * x[r * d + 1] }
        let odds = (1..<size).reduce(0.0) { $0 + exp(score($1) - score(0)) }
        XCTAssertEqual(ranks[0], 1 + 10 * odds, accuracy: 1e-9)
        // With offsets −ln(expected draws), each negative stands for 1 / (expected draws) candidates: the
        // uniform rate gives the same estimate; a negative drawn twice as often counts half as much.
        let rows = x.count / d
        let uniform = ConditionalLogit.estimatedRanks(x: x, dimension: d, groupStarts: starts, weights: plain, pool: 51,
                                                      offsets: [Double](repeating: log(10.0), count: rows))
        for k in 0..<groups { XCTAssertEqual(uniform[k], ranks[k], accuracy: 1e-9) }
        let often = (0..<rows).map { $0 == 1 ? log(5.0) : log(10.0) }
        let weighted2 = ConditionalLogit.estimatedRanks(x: x, dimension: d, groupStarts: starts, weights: plain, pool: 51, offsets: often)
        XCTAssertEqual(weighted2[0], 1 + 10 * odds - 5 * exp(score(1) - score(0)), accuracy: 1e-9)
        XCTAssertEqual(weighted2[1], ranks[1], accuracy: 1e-9)
    }

    /// Overlapping terms (the size terms, the distance terms) are read in one family: their large weights of
    /// opposite signs are only shown summed.
    func testOverlappingTermsAreSummedByFamily() {
        let c = { (name: String, value: Double) in Contribution(name: name, value: value) }
        let model = [c("size", 1), c("themes", 2), c("log_population", -3), c("near_300km", 0.5), c("partner_size", 4.5)]
        let reasons = Reasons(contributions: model, scale: .content, family: { ModelTerm(rawValue: $0)?.family ?? .themes })
        XCTAssertEqual(reasons.families.map(\.family), [.size, .distance, .themes])
        XCTAssertEqual(reasons.families.map(\.raw), [2.5, 0.5, 2])
        XCTAssertEqual(reasons.families[0].terms.map(\.name), ["size", "log_population", "partner_size"])
        XCTAssertEqual(Reasons(contributions: [], scale: .content, family: { _ in .size }).families, [])
    }

    func testMetrics() {
        var m = RankingMetrics()
        for rank in [1, 5, 11, 60, 200] { m.add(rank: rank) }
        XCTAssertEqual(m.queries, 5)
        XCTAssertEqual(m.recallAt10, 0.4, accuracy: 1e-12)
        XCTAssertEqual(m.recallAt50, 0.6, accuracy: 1e-12)
        XCTAssertEqual(m.recallAt100, 0.8, accuracy: 1e-12)
        XCTAssertEqual(m.mrr, (1 + 0.2 + 1.0 / 11 + 1.0 / 60 + 1.0 / 200) / 5, accuracy: 1e-12)
        var r = EvaluationReport()
        r.add(rank: 1, cold: true, pair: 0)
        r.add(rank: 20, cold: false, pair: 0)
        XCTAssertEqual(r.all.queries, 2)
        XCTAssertEqual(r.cold.recallAt10, 1)
        XCTAssertEqual(r.warm.recallAt10, 0)
    }

    /// Standard errors: with one query per cluster they are the binomial ones, √(p(1 − p) / (n − 1)); a
    /// cluster holding the same query twice adds no information, so it gives the same errors as once.
    func testStandardErrorsTreatAPairAsOneCluster() {
        var rng = SplitMix64(seed: 11)
        for n in [2, 3, 17, 250] {
            let ranks = (0..<n).map { _ in Int.random(in: 1...300, using: &rng) }
            var single = EvaluationReport(), doubled = EvaluationReport()
            for (i, rank) in ranks.enumerated() {
                single.add(rank: rank, cold: false, pair: i)
                doubled.add(rank: rank, cold: false, pair: i)
                doubled.add(rank: rank, cold: false, pair: i)
            }
            func binomial(_ hits: Int) -> Double {
                let p = Double(hits) / Double(n)
                return (p * (1 - p) / Double(n - 1)).squareRoot()
            }
            // The MRR's error from plain loops over the reciprocal ranks.
            let rr = ranks.map { 1 / Double($0) }, mean = rr.reduce(0, +) / Double(n)
            let mrrError = (rr.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n) / Double(n - 1)).squareRoot()
            for report in [single, doubled] {
                let e = report.standardErrors(.all)
                XCTAssertEqual(e.recallAt10, binomial(ranks.filter { $0 <= 10 }.count), accuracy: 1e-12, "n = \(n)")
                XCTAssertEqual(e.recallAt50, binomial(ranks.filter { $0 <= 50 }.count), accuracy: 1e-12, "n = \(n)")
                XCTAssertEqual(e.recallAt100, binomial(ranks.filter { $0 <= 100 }.count), accuracy: 1e-12, "n = \(n)")
                XCTAssertEqual(e.mrr, mrrError, accuracy: 1e-12, "n = \(n)")
                XCTAssertEqual(report.standardErrors(.cold), MetricValues(), "no cold query: nothing to vary")
            }
        }
        // Two clusters of two: means 1/2 (hits 1 + 0 in the first, 1 + 0 in the second) vary not at all.
        var even = EvaluationReport()
        for (rank, pair) in [(1, 0), (99, 0), (2, 1), (98, 1)] { even.add(rank: rank, cold: false, pair: pair) }
        XCTAssertEqual(even.standardErrors(.all).recallAt10, 0, accuracy: 1e-15)
        XCTAssertEqual(even.standardErrors(.all).recallAt100, 0, accuracy: 1e-15)
        XCTAssertGreaterThan(even.standardErrors(.all).mrr, 0)
        XCTAssertEqual(EvaluationReport().standardErrors(.all), MetricValues(), "empty input")
    }

    /// The breakdown's groups on a graph drawn by hand: a chain FR0–DE1–FR2–DE3 plus FR4–IT5, and FR6, DE7
    /// without partners.
    func testRelationsOfTestPairs() {
        let countries = ["FR", "DE", "FR", "DE", "FR", "IT", "FR", "DE"]
        let set = ProfileSet(profiles: countries.enumerated().map { i, c in
            CityProfile(id: "\(i)", name: "P\(i)", country: c, latitude: 45, longitude: Double(i), population: 10_000)
        })
        let known = [(0, 1), (1, 2), (2, 3), (4, 5)]
        let test = [(0, 2), (0, 3), (6, 1), (7, 0), (4, 3), (5, 1), (5, 3)]
        let evaluation = Evaluation(context: TermContext(corpus: Corpus(profiles: set), knownPairs: known), testPairs: test)
        let relations = evaluation.relations()
        XCTAssertEqual(relations.count, 2 * test.count)
        let expected: [Evaluation.Relation] = [
            .twoHops, .twoHops,                    // 0–1–2
            .threeHops, .threeHops,                // 0–1–2–3
            .coldToPartnered, .unpartneredTarget,  // 6 has no partner
            .coldToPartnered, .unpartneredTarget,  // nor has 7
            .partnerCountry, .elsewhere,           // 3 is twinned with 2, in 4's country FR; 4 with 5, not in DE
            .elsewhere, .elsewhere,                // 1's partners are in FR, 5's too: neither in the other's country
            .elsewhere, .elsewhere,
        ]
        XCTAssertEqual(relations, expected)
        // The breakdown of a report on these queries: per group, the queries, the top-10 hits, the lower median.
        var report = EvaluationReport()
        for i in relations.indices { report.add(rank: 3 * i + 1, cold: false, pair: i / 2) }  // ranks 1, 4, 7, …
        let summary = evaluation.breakdown(report)
        XCTAssertEqual(summary.map(\.relation), Evaluation.Relation.allCases)
        XCTAssertEqual(summary.map(\.queries), [2, 2, 2, 2, 1, 5])
        XCTAssertEqual(summary.map(\.hits), [0, 0, 2, 2, 0, 0])
        XCTAssertEqual(summary.map(\.medianRank), [16, 13, 1, 7, 25, 34])
    }

    /// The change between two rankings of the same queries: the difference of their metrics, the targets
    /// each gains in the top 10, and standard errors of the paired differences.
    func testChangeBetweenTwoRankings() throws {
        var rng = SplitMix64(seed: 12)
        var a = EvaluationReport(), b = EvaluationReport()
        var gained = 0, lost = 0
        for i in 0..<301 {
            let (ra, rb) = (Int.random(in: 1...40, using: &rng), Int.random(in: 1...40, using: &rng))
            a.add(rank: ra, cold: i % 3 == 0, pair: i / 2)
            b.add(rank: rb, cold: i % 3 == 0, pair: i / 2)
            if ra <= 10 && rb > 10 { gained += 1 }
            if ra > 10 && rb <= 10 { lost += 1 }
        }
        for part in [EvaluationReport.Part.all, .cold, .warm] {
            let c = try XCTUnwrap(a.change(from: b, part))
            XCTAssertEqual(c.change.recallAt10, a.metrics(part).recallAt10 - b.metrics(part).recallAt10, accuracy: 1e-12)
            XCTAssertEqual(c.change.recallAt50, a.metrics(part).recallAt50 - b.metrics(part).recallAt50, accuracy: 1e-12)
            XCTAssertEqual(c.change.mrr, a.metrics(part).mrr - b.metrics(part).mrr, accuracy: 1e-12)
            XCTAssertGreaterThan(c.errors.recallAt10, 0)
            XCTAssertEqual(c.errors.recallAt50, 0, "every target is in both top 50s")
        }
        let all = try XCTUnwrap(a.change(from: b, .all))
        XCTAssertEqual([all.gainedAt10, all.lostAt10], [gained, lost])
        XCTAssertEqual(a.change(from: a, .all)?.change, MetricValues(), "no change from itself")
        XCTAssertEqual(a.change(from: a, .all)?.errors, MetricValues())
        var other = EvaluationReport()
        other.add(rank: 1, cold: false, pair: 0)
        XCTAssertNil(a.change(from: other, .all), "different queries")
    }

    /// The fitted model finds the rule behind the synthetic pairs: held-out mirror towns rank near the top.
    func testFitLearnsTheRuleAndEvaluationMeasuresIt() throws {
        let (set, pairs) = mirroredWorld()
        let corpus = Corpus(profiles: set)
        let test = stride(from: 0, to: pairs.count, by: 4).map { pairs[$0] }
        let train = pairs.indices.filter { $0 % 4 != 0 }.map { pairs[$0] }
        var options = FitOptions()
        options.randomNegatives = 20
        let model = try ModelFitter.fit(corpus: corpus, pairs: train, options: options)
        let again = try ModelFitter.fit(corpus: corpus, pairs: train, options: options)
        XCTAssertEqual(again.tiers, model.tiers, "the same input gives the same model")
        XCTAssertEqual(model.tiers.map(\.minPartners), [0, 1])
        options.tiers = [0, 1, 3]
        let tiered = try ModelFitter.fit(corpus: corpus, pairs: train, options: options)
        XCTAssertEqual(tiered.tiers.map(\.minPartners), [0, 1, 3])
        XCTAssertEqual(tiered.tiers[2].weights, tiered.tiers[1].weights, "a tier no query falls in takes the weights of the tier below")
        XCTAssertEqual(tiered.tier(partners: 7), 2)
        let w = model.weights(tier: 0)
        XCTAssertGreaterThan(w[.countryAffinity] ?? 0, 0, "partners' countries follow the known pairs")
        let evaluation = Evaluation(context: TermContext(corpus: corpus, knownPairs: train), testPairs: test)
        let report = evaluation.run(model, options: SearchOptions(queryBlock: 7, candidateBlock: 11, threads: 2))
        XCTAssertEqual(report.all.queries, 2 * test.count)
        XCTAssertGreaterThan(report.all.recallAt10, 0.5, "\(report.all)")
        let random = evaluation.randomBaseline(seed: 1)
        XCTAssertLessThan(random.all.recallAt10, report.all.recallAt10)
    }

    /// The ranks the evaluation counts equal a full sort of every candidate's score in Double.
    func testRanksMatchAFullSort() throws {
        let (set, pairs) = mirroredWorld(towns: 25)
        let corpus = Corpus(profiles: set)
        let train = Array(pairs.dropFirst(10))
        let context = TermContext(corpus: corpus, knownPairs: train)
        // Every term weighted, then without the content terms (as the baselines are: the GEMM is skipped).
        for content in [true, false] {
            var weights: [ModelTerm: Double] = [:]
            for (i, t) in ModelTerm.allCases.enumerated() { weights[t] = t.kind == .dense && !content ? 0 : Double((i * 7) % 5) - 1.5 }
            let ranker = ModelRanker(context: context, model: TwinModel(weights: weights),
                                     search: SearchOptions(queryBlock: 3, candidateBlock: 17, threads: 2))
            let queries = pairs.prefix(10).flatMap { [$0.0, $0.1] }, targets = pairs.prefix(10).flatMap { [$0.1, $0.0] }
            let admissible: ExactSearch.Admissible = { q, c in c != q && !context.graph.contains(q, c) }
            let fast = ranker.ranks(queries: queries, targets: targets, admissible: admissible)
            for (i, q) in queries.enumerated() {
                let t = targets[i], st = ranker.score(query: q, candidate: t)
                let better = (0..<set.count).filter { c in
                    guard c != t, admissible(q, c) else { return false }
                    let s = ranker.score(query: q, candidate: c)
                    return s > st + 1e-4 || (abs(s - st) <= 1e-4 && set.idRank[c] < set.idRank[t])
                }.count
                XCTAssertEqual(fast[i], better + 1, accuracy: 1, "query \(q)")
            }
            // Top-k through the model equals the best-scored candidates.
            let top = ranker.neighbours(queries: [queries[0]], k: 5, admissible: admissible)[0]
            let reference = (0..<set.count).filter { admissible(queries[0], $0) }
                .sorted { ranker.score(query: queries[0], candidate: $0) > ranker.score(query: queries[0], candidate: $1) }
            XCTAssertEqual(top.map(\.row), Array(reference.prefix(5)))
            // Contributions add up to the score.
            let parts = ranker.contributions(query: queries[0], candidate: top[0].row)
            XCTAssertEqual(parts.reduce(0) { $0 + $1.value }, Double(top[0].score), accuracy: 1e-3)
        }
    }

    /// A model carries its fitting data's country terms; ranking another profile set with it uses them.
    func testCountryReferenceTravelsWithTheModel() throws {
        let (set, pairs) = mirroredWorld(towns: 25)
        let corpus = Corpus(profiles: set)
        var options = FitOptions()
        options.randomNegatives = 10
        let model = try ModelFitter.fit(corpus: corpus, pairs: pairs, options: options)
        let reference = try XCTUnwrap(model.reference)
        XCTAssertEqual(reference, TermContext.reference(corpus: corpus, graph: PairGraph(count: set.count, pairs: pairs)))
        let path = temporaryFile("", name: "model.json")
        try model.save(path: path)
        XCTAssertEqual(try TwinModel.load(path: path), model)
        let half = ProfileSet(profiles: Array(set.profiles.prefix(set.count / 3)))
        let smallCorpus = Corpus(profiles: half)
        let small = TermContext(corpus: smallCorpus, knownPairs: [], reference: reference)
        XCTAssertNotEqual(TermContext.reference(corpus: smallCorpus, graph: PairGraph(count: half.count, pairs: [])).places, reference.places)
        for c in 0..<half.count {
            XCTAssertEqual(Double(small.candidateValue(.countryPlaces, c)), try XCTUnwrap(reference.places[half.profiles[c].country]), accuracy: 1e-6)
            let cell = CountryReference.cell(half.profiles[c].country, Float(log10(half.profiles[c].population + 100)))
            XCTAssertEqual(Double(small.candidateValue(.twinningRate, c)), reference.twinningRate[cell] ?? reference.baseRate, accuracy: 1e-6)
        }
    }

    /// The fitter's row of term values equals the values term by term.
    func testTermRowMatchesEachTerm() throws {
        let (set, pairs) = mirroredWorld(towns: 25)
        let corpus = Corpus(profiles: set)
        let context = TermContext(corpus: corpus, knownPairs: Array(pairs.dropFirst(5)))
        let extractor = corpus.extractor, stored = corpus.stored
        for q in stride(from: 0, to: set.count, by: 5) {
            let terms = context.query(q)
            for c in 0..<set.count where c != q {
                let sims = extractor.similarities(stored.row(q), stored.row(c))
                let expected = ModelTerm.allCases.map { t in t.kind == .dense ? (sims[t.group!] ?? 0) : Double(terms.value(t, c)) }
                XCTAssertEqual(terms.row(c, similarities: extractor.similarityValues(stored.row(q), stored.row(c))), expected, "\(q) → \(c)")
            }
        }
    }

    /// A partnership listed twice or both ways round counts once: scores are those of the plain list.
    func testRepeatedPairsCountOnce() throws {
        let (set, pairs) = mirroredWorld(towns: 25)
        let corpus = Corpus(profiles: set)
        var weights: [ModelTerm: Double] = [:]
        for (i, t) in ModelTerm.allCases.enumerated() { weights[t] = Double((i * 3) % 7) - 2.5 }
        let model = TwinModel(weights: weights)
        let plain = ModelRanker(context: TermContext(corpus: corpus, knownPairs: pairs), model: model)
        let repeated = ModelRanker(context: TermContext(corpus: corpus, knownPairs: pairs + pairs.map { ($0.1, $0.0) } + [(3, 3)]), model: model)
        XCTAssertEqual(repeated.context.graph.neighbours, plain.context.graph.neighbours)
        for q in stride(from: 0, to: set.count, by: 7) {
            for c in 0..<set.count where c != q {
                XCTAssertEqual(repeated.score(query: q, candidate: c), plain.score(query: q, candidate: c), accuracy: 1e-9, "\(q) → \(c)")
            }
        }
    }

    /// The folds of a split are disjoint test parts that hold every row once, each part in file order; a
    /// cross-validation fold is exactly one fit and one evaluation on that fold's parts.
    func testCrossValidationFoldsAreOneFitAndEvaluationEach() throws {
        let (set, pairs) = mirroredWorld(towns: 20)
        let ids = set.profiles.map(\.id)
        let text = "geonameid_a,geonameid_b\n" + pairs.map { "\(ids[$0.0]),\(ids[$0.1])\n" }.joined()
        let split = try PairSplit(path: temporaryFile(text, name: "pairs.csv"), seed: 3)
        XCTAssertEqual(split.count, 40)
        XCTAssertNotEqual(split.shuffled.map(\.line), Array(2...41), "shuffled")
        var tested: [Int] = []
        for fold in 0..<3 {
            let (train, test) = split.parts(test: split.testRows(folds: 3, fold: fold))
            XCTAssertEqual(train.count + test.count, 40)
            XCTAssertEqual(Set(train.map(\.line)).intersection(test.map(\.line)), [])
            XCTAssertEqual(train.map(\.line), train.map(\.line).sorted(), "file order")
            XCTAssertEqual(test.map(\.line), test.map(\.line).sorted(), "file order")
            tested += test.map(\.line)
        }
        XCTAssertEqual(tested.sorted(), Array(2...41), "every row is tested once")
        XCTAssertEqual(split.testRows(fraction: 0.2), split.testRows(folds: 5, fold: 0))

        let corpus = Corpus(profiles: set)
        var options = FitOptions()
        options.randomNegatives = 20
        let cv = try CrossValidation(corpus: corpus, split: split, count: 3, only: [2, 0], options: options)
        XCTAssertEqual(cv.folds.map(\.index), [2, 0])
        let parts = split.parts(test: split.testRows(folds: 3, fold: 0))
        let train = try KnownPairs.parse(header: split.header, rows: parts.train, file: split.file, rowOf: set.row(ofId:))
        let test = try KnownPairs.parse(header: split.header, rows: parts.test, file: split.file, rowOf: set.row(ofId:))
        let model = try ModelFitter.fit(corpus: corpus, pairs: train.pairs, options: options)
        let report = Evaluation(context: TermContext(corpus: corpus, knownPairs: train.pairs, reference: model.reference),
                                testPairs: test.pairs).run(model)
        XCTAssertEqual(cv.folds[1].report.ranks, report.ranks)
        XCTAssertEqual(cv.folds[1].trainPairs, train.pairs.count)
        XCTAssertEqual(cv.folds[1].queries.count, 2 * test.pairs.count)
        // The summary: the folds' mean and their standard deviation over √folds, computed plainly.
        let values = cv.folds.map { $0.report.all.values }
        let mean = (values[0].mrr + values[1].mrr) / 2
        let sd = (((values[0].mrr - mean) * (values[0].mrr - mean) + (values[1].mrr - mean) * (values[1].mrr - mean)) / 1).squareRoot()
        XCTAssertEqual(cv.summary(.all).mean.mrr, mean, accuracy: 1e-12)
        XCTAssertEqual(cv.summary(.all).errors.mrr, sd / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(CrossValidation(folds: [cv.folds[0]]).summary(.all).errors, MetricValues(), "one fold: no spread to measure")
        XCTAssertEqual(CrossValidation(folds: []).summary(.all).mean, MetricValues(), "no folds")
        let empty = CrossValidation.Fold(index: 1, trainPairs: 40, testPairs: 0, queries: [], report: EvaluationReport(), fitSeconds: 0)
        XCTAssertEqual(CrossValidation(folds: cv.folds + [empty]).summary(.all).mean, cv.summary(.all).mean, "a fold without queries adds no figure")
        XCTAssertEqual(CrossValidation(folds: cv.folds + [empty]).summary(.all).errors, cv.summary(.all).errors)
        XCTAssertThrowsError(try CrossValidation(corpus: corpus, split: split, count: 1))
        XCTAssertThrowsError(try CrossValidation(corpus: corpus, split: split, count: 3, only: [3]))
    }

    func testKnownPairsCountProblems() throws {
        let (set, _) = mirroredWorld(towns: 3)
        let text = "geonameid_a,geonameid_b,name_a\n1000,1001,x\n1001,1000,dup\n1000,1000,self\n1000,99999,unknown\n1002.0,1003,float\n,1003,blank\n"
        let pairs = try KnownPairs.read(path: temporaryFile(text, name: "pairs.csv"), rowOf: set.row(ofId:))
        XCTAssertEqual(pairs.pairs.count, 2)
        XCTAssertEqual(pairs.duplicates, 1)
        XCTAssertEqual(pairs.selfPairs, 1)
        XCTAssertEqual(pairs.unknownIds, 1)
        XCTAssertEqual(pairs.blank, 1)
        XCTAssertTrue(pairs.summary.contains("1 naming ids not in the profiles"))
        XCTAssertThrowsError(try KnownPairs.read(path: temporaryFile("a,b\n1,2\n", name: "p.csv"), rowOf: set.row(ofId:))) { error in
            XCTAssertEqual((error as? InputError)?.field, "geonameid_a")
        }
        XCTAssertThrowsError(try KnownPairs.read(path: temporaryFile("", name: "p.csv"), rowOf: set.row(ofId:)))
    }

    func testModelFilesAreChecked() throws {
        let model = TwinModel(weights: [.near300: 1])
        let path = temporaryFile("", name: "model.json")
        try model.save(path: path)
        XCTAssertEqual(try TwinModel.load(path: path), model)
        var old = model
        old.schemaVersion = 99
        try old.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) { XCTAssertTrue("\($0)".contains("schema version 99"), "\($0)") }
        var short = model
        short.terms.removeLast()
        short.tiers[0].weights.removeLast()
        try short.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) { XCTAssertTrue("\($0)".contains("terms"), "\($0)") }
        var wrongDims = model
        wrongDims.tiers.append(TwinModel.Tier(minPartners: 3, weights: [:]))
        wrongDims.tiers[1].centres.removeLast()
        try wrongDims.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) { XCTAssertTrue("\($0)".contains("expected") && "\($0)".contains("tiers[1].centres"), "\($0)") }
        var unordered = model
        unordered.tiers.append(TwinModel.Tier(minPartners: 0, weights: [:]))
        try unordered.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) { XCTAssertTrue("\($0)".contains("must start above"), "\($0)") }
        var none = model
        none.tiers = []
        try none.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) { XCTAssertTrue("\($0)".contains("first tier"), "\($0)") }
        // A weight a score would overflow with, and a scale of no width, are refused (the scores print as
        // whole numbers).
        var huge = model
        huge.tiers[0].weights[3] = 1e300
        try huge.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) {
            XCTAssertEqual($0 as? InputError, InputError(file: path, field: "tiers[0].weights", "weights must be finite and within ±1000000"))
        }
        var flat = model
        flat.scale = TwinModel.Calibration(centre: 50, width: 0, basis: "test")
        try flat.save(path: path)
        XCTAssertThrowsError(try TwinModel.load(path: path)) {
            XCTAssertEqual($0 as? InputError, InputError(file: path, field: "scale", "the scale's centre (50.0) must be a number within ±1000000 and its width (0.0) a positive one"))
        }
        let garbage = temporaryFile("{not json", name: "m.json")
        // A syntax error is reported as one, at its position (not as a model without schemaVersion).
        XCTAssertThrowsError(try TwinModel.load(path: garbage)) { XCTAssertEqual($0 as? InputError, InputError(file: garbage, line: 1, "not valid JSON at column 2: invalid value")) }
    }

    /// A corpus of no profiles (so of no country) has a model ranker as it has a content one: it ranks nothing.
    func testAnEmptyCorpusRanksNothing() {
        let corpus = Corpus(profiles: ProfileSet(profiles: [], source: "none"))
        for ranker in [corpus.ranker(), corpus.ranker(model: TwinModel(weights: [.countryPlaces: 1, .near300: 1]))] {
            XCTAssertEqual(ranker.recommend(queries: [], limit: 5, filter: CandidateFilter()).count, 0)
        }
    }
}
