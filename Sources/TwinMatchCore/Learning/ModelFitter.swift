import Foundation

/// Options of `ModelFitter`.
public struct FitOptions: Sendable {
    /// The known pairs are split into this many folds; each fold's pairs are positives scored against a
    /// graph built from the other folds, as held-out partnerships are at ranking time.
    public var folds = 5
    /// Negatives per positive: uniform over all places.
    public var randomNegatives = 120
    /// Negatives per positive drawn from the query's graph neighbourhood (partners of partners, places
    /// twinned with the query's neighbours): the plausible candidates a ranking must tell apart.
    public var graphNegatives = 0
    /// Negatives per positive drawn among the places with known partners (the candidates a ranking's top
    /// is made of, which uniform draws rarely reach).
    public var partneredNegatives = 40
    /// Negatives per positive within 300 km of the query.
    public var nearbyNegatives = 0
    /// L2 penalty on the standardised weights.
    public var l2 = 0.001
    /// Refine the logistic regression with a conditional logit over each query's candidates.
    public var conditionalLogit = true
    /// With a value ρ > 0, the conditional logit is refitted with each query weighted 1 / (1 + r / ρ), r its
    /// partner's estimated rank among all places: queries whose partner no term can find weigh less, and
    /// the fit spends itself on those a short list can serve.
    public var rankFocus = 50.0
    /// How many times the rank-focused refit is repeated, each with the ranks the previous one estimates.
    public var focusRounds = 3
    /// The model's tiers: the least number of known partners of each tier's queries (ascending, from 0).
    public var tiers = [0, 1]
    public var seed: UInt64 = 20261122
    /// Terms left out of the fit (their weights are 0): for ablations.
    public var excluded: Set<ModelTerm> = []
    public init() {}
}

/// Fits a `TwinModel` on known partnerships by logistic regression (IRLS with LAPACK), separately for
/// each tier of queries by their number of known partners (cold queries have none).
public enum ModelFitter {
    /// Training examples, flat: the term values of (query, candidate) pairs (one row of `ModelTerm`s each),
    /// whether they are partners, and −ln(expected times the candidate is drawn for its query), the
    /// sampled-softmax correction. A query's partner comes first, then its negatives.
    struct Examples {
        var values: [Double] = []
        var labels: [Double] = []
        var offsets: [Double] = []
        var count: Int { labels.count }
        var isEmpty: Bool { labels.isEmpty }

        mutating func append(_ row: [Double], label: Double, offset: Double) {
            values += row
            labels.append(label)
            offsets.append(offset)
        }

        mutating func append(_ other: Examples) {
            values += other.values
            labels += other.labels
            offsets += other.offsets
        }
    }

    /// Fits on the known pairs `pairs` (distinct, rows of `corpus`). Each fold's graph holds the profiles'
    /// own partnerships and the other folds' pairs.
    public static func fit(corpus: Corpus, pairs: [(Int, Int)], options: FitOptions = FitOptions(),
                           log: (String) -> Void = { _ in }) throws -> TwinModel {
        let start = Date()
        let n = corpus.count
        guard !pairs.isEmpty else { throw InputError(file: "known pairs", "no known pairs to fit on") }
        let full = corpus.partnerships(adding: pairs)
        let everywhere = SpatialGrid(latitudes: corpus.profiles.profiles.map(\.latitude),
                                     longitudes: corpus.profiles.profiles.map(\.longitude), rows: Array(0..<n))
        var rng = SplitMix64(seed: options.seed)
        let order = Array(pairs.indices).shuffled(using: &rng)
        let folds = max(2, options.folds)
        let bounds = options.tiers.first == 0 ? options.tiers : [0] + options.tiers
        @Sendable func tier(_ partners: Int) -> Int { bounds.lastIndex { $0 <= partners } ?? 0 }
        var byTier = [Examples](repeating: Examples(), count: bounds.count)
        for f in 0..<folds {
            let held = Set(order.enumerated().filter { $0.offset % folds == f }.map(\.element))
            let rest = pairs.indices.filter { !held.contains($0) }.map { pairs[$0] }
            let context = TermContext(corpus: corpus, graph: corpus.partnerships(adding: rest))
            let heldPairs = held.sorted().map { pairs[$0] }
            let partnered = (0..<n).filter { context.graph.degree($0) > 0 }
            // Chunks are collected by index and joined in order, so the fit is the same on every run.
            let chunks = 8
            let perChunk: [[Examples]] = parallelMap(chunks) { chunk in
                var local = SplitMix64(seed: options.seed &+ UInt64(f * 1000 + chunk))
                var out = [Examples](repeating: Examples(), count: bounds.count)
                for i in stride(from: chunk, to: heldPairs.count, by: chunks) {
                    let (a, b) = heldPairs[i]
                    for (q, pos) in [(a, b), (b, a)] {
                        let qt = context.query(q)
                        let draw = negatives(q, qt, full: full, everywhere: everywhere, partnered: partnered, n: n, options: options, rng: &local)
                        let t = tier(context.graph.degree(q))
                        out[t].append(values(context, qt, pos), label: 1, offset: draw.offset(pos))
                        for neg in draw.rows { out[t].append(values(context, qt, neg), label: 0, offset: draw.offset(neg)) }
                    }
                }
                return out
            }
            var foldCount = 0
            for t in bounds.indices {
                for chunk in perChunk { byTier[t].append(chunk[t]); foldCount += chunk[t].count }
            }
            log("fold \(f + 1)/\(folds): \(heldPairs.count) held-out pairs, \(foldCount) examples")
        }
        // Tiers are fitted in parallel, each standardising its own examples in place. A tier no query falls
        // in (every town with a single partner makes every held-out query cold) takes the weights of the
        // nearest tier below it that has examples, or else above it.
        let sizes = byTier.map(\.count)
        let boxes = byTier.map(Box.init)
        byTier = []
        let fitted: [Result<(weights: [ModelTerm: Double], centres: [ModelTerm: Double]), Error>] = parallelMap(bounds.count) { t in
            Result { try regress(&boxes[t].examples, options: options, pool: n) }
        }
        let filled = bounds.indices.filter { sizes[$0] > 0 }
        var tiers: [TwinModel.Tier] = []
        for t in bounds.indices {
            let source = filled.last { $0 <= t } ?? filled.first { $0 > t } ?? t
            let (weights, centres) = try fitted[source].get()
            tiers.append(TwinModel.Tier(minPartners: bounds[t], weights: weights, centres: centres))
        }
        let seconds = Date().timeIntervalSince(start)
        let counts = bounds.indices.map { t -> String in
            let upper = t + 1 < bounds.count ? bounds[t + 1] - 1 : nil
            let range = upper == bounds[t] ? "\(bounds[t])" : upper.map { "\(bounds[t])–\($0)" } ?? "\(bounds[t])+"
            return "\(sizes[t]) for queries with \(range) partners"
        }
        log("fitted on " + counts.joined(separator: ", ") + String(format: " in %.1f s", seconds))
        var model = TwinModel(tiers: tiers, provenance: [
            "method": "logistic regression by IRLS (LAPACK dposv) on standardised term values, L2 \(options.l2)"
                + (options.conditionalLogit ? ", refined by a conditional logit over each query's candidates (damped Newton, dposv)" : "")
                + (options.conditionalLogit && options.rankFocus > 0 && options.focusRounds > 0
                    ? ", refitted \(options.focusRounds == 1 ? "once" : "\(options.focusRounds) times") with each query weighted 1 / (1 + r / \(options.rankFocus)), r its partner's estimated rank among all places by the previous fit" : ""),
            "tiers": bounds.map(String.init).joined(separator: ", ") + ": the least known partners of each tier's queries",
            "pairs": "\(pairs.count)",
            "folds": "\(folds): each fold's pairs are positives, scored on a graph of the other folds",
            "negatives": "per positive: \(options.randomNegatives) uniform, \(options.partneredNegatives) among places with partners, \(options.graphNegatives) from the graph neighbourhood, \(options.nearbyNegatives) within 300 km; each weighted by how likely it was to be drawn",
            "examples": counts.joined(separator: ", "),
            "seed": "\(options.seed)",
            "profiles": "\(n)",
            "seconds": String(format: "%.1f", seconds),
        ])
        model.reference = TermContext.reference(corpus: corpus, graph: full)
        model.scale = calibration(model, corpus: corpus, graph: full, seed: options.seed)
        return model
    }

    /// The 0–100 scale of a fitted model: over up to 400 seeded places of at least 20,000 people (all places
    /// when fewer are that large), the quartiles of the best candidate's raw score (other countries, known
    /// partners excluded, as `recommend` ranks) go to 25, 50 and 75: 50 is a typical city's best candidate.
    static func calibration(_ model: TwinModel, corpus: Corpus, graph: PairGraph, seed: UInt64) -> TwinModel.Calibration? {
        let ranker = ModelRanker(context: TermContext(corpus: corpus, graph: graph, reference: model.reference), model: model)
        let large = (0..<corpus.count).filter { corpus.profiles.profiles.population($0) >= 20_000 }
        var rows = large.count >= 40 ? large : Array(0..<corpus.count)
        var rng = SplitMix64(seed: seed ^ 0x5CA1E)
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        rows = Array(rows.prefix(400))
        let best = ranker.recommend(queries: rows, limit: 1).compactMap { $0.results.first?.score }.sorted()
        guard best.count >= 4 else { return nil }
        func quantile(_ p: Double) -> Double { best[min(best.count - 1, Int(p * Double(best.count - 1)))] }
        let (q1, q2, q3) = (quantile(0.25), quantile(0.5), quantile(0.75))
        guard q3 > q1 else { return nil }
        return TwinModel.Calibration(centre: q2, width: (q3 - q1) / (2 * log(3.0)),
                                     basis: "quartiles \(r1(q1)), \(r1(q2)), \(r1(q3)) of the best candidate's raw score over \(best.count) seeded places"
                                         + (large.count >= 40 ? " of at least 20,000 people" : ""))
    }

    static func values(_ context: TermContext, _ qt: QueryTerms, _ c: Int) -> [Double] {
        let corpus = context.corpus
        return qt.row(c, similarities: corpus.extractor.similarityValues(corpus.stored.row(qt.query), corpus.stored.row(c)))
    }

    /// The negatives drawn for one query, and how likely each candidate was to be drawn.
    struct Draw {
        var rows: [Int] = []
        var uniformRate = 0.0
        /// The pools drawn from besides the uniform draws: membership, and expected draws of each member.
        var pools: [(contains: (Int) -> Bool, rate: Double)] = []
        /// −ln(expected number of draws of `c`).
        func offset(_ c: Int) -> Double {
            -log(pools.reduce(uniformRate) { $1.contains(c) ? $0 + $1.rate : $0 })
        }
    }

    static func negatives(_ q: Int, _ qt: QueryTerms, full: PairGraph, everywhere: SpatialGrid, partnered: [Int], n: Int,
                          options: FitOptions, rng: inout SplitMix64) -> Draw {
        var result = Draw()
        result.uniformRate = Double(options.randomNegatives) / Double(n)
        func ok(_ c: Int) -> Bool { c != q && !full.contains(q, c) }
        var tries = 0
        while result.rows.count < options.randomNegatives && tries < options.randomNegatives * 4 {
            tries += 1
            let c = Int.random(in: 0..<n, using: &rng)
            if ok(c) { result.rows.append(c) }
        }
        func draw(_ count: Int, from pool: [Int], contains: @escaping (Int) -> Bool) {
            guard count > 0, !pool.isEmpty else { return }
            let draws = min(count, pool.count)
            for _ in 0..<draws {
                let c = pool[Int.random(in: 0..<pool.count, using: &rng)]
                if ok(c) { result.rows.append(c) }
            }
            result.pools.append((contains, Double(draws) / Double(pool.count)))
        }
        let graph = qt.context.graph
        draw(options.partneredNegatives, from: partnered) { graph.degree($0) > 0 }
        if options.graphNegatives > 0 {
            let pool = qt.graphRows.map(Int.init).filter { $0 != q }, members = Set(pool)
            draw(options.graphNegatives, from: pool) { members.contains($0) }
        }
        if options.nearbyNegatives > 0 {
            let pool = everywhere.within(km: 300, lat: qt.context.latitudes[q], lon: qt.context.longitudes[q]).map(\.row).filter { $0 != q }.sorted()
            let members = Set(pool)
            draw(options.nearbyNegatives, from: pool) { members.contains($0) }
        }
        return result
    }

    /// The examples of one tier, for fitting tiers in parallel without copying them.
    /// Each box is read and written by the one task that fits its tier.
    final class Box: @unchecked Sendable {
        var examples: Examples
        init(_ examples: Examples) { self.examples = examples }
    }

    /// Logistic regression on standardised values (then, with `options.conditionalLogit`, a conditional logit
    /// over each group: a positive followed by its negatives, and its rank-focused refits over a `pool` of
    /// candidates); returns weights on the original scale. The examples' values are standardised in place
    /// (the terms that never vary are dropped), so they are not copied.
    static func regress(_ examples: inout Examples, options: FitOptions, pool: Int) throws
        -> (weights: [ModelTerm: Double], centres: [ModelTerm: Double]) {
        let l2 = options.l2, rankFocus = options.rankFocus
        let terms = ModelTerm.allCases
        let d = terms.count, rows = examples.count
        guard rows > 0 else { return ([:], [:]) }
        var mean = [Double](repeating: 0, count: d), sd = [Double](repeating: 0, count: d)
        for r in 0..<rows { for j in 0..<d { mean[j] += examples.values[r * d + j] } }
        for j in 0..<d { mean[j] /= Double(rows) }
        for r in 0..<rows { for j in 0..<d { sd[j] += (examples.values[r * d + j] - mean[j]) * (examples.values[r * d + j] - mean[j]) } }
        for j in 0..<d { sd[j] = (sd[j] / Double(rows)).squareRoot() }
        let used = (0..<d).filter { sd[$0] > 1e-9 && !options.excluded.contains(terms[$0]) }
        // Row r's used values move to r · used.count: never past a value still to be read.
        var x = examples.values
        examples.values = []
        for r in 0..<rows {
            for (k, j) in used.enumerated() { x[r * used.count + k] = (x[r * d + j] - mean[j]) / sd[j] }
        }
        x.removeLast((d - used.count) * rows)
        let y = examples.labels, offsets = examples.offsets
        let fit = try LogisticRegression.fit(x: x, y: y, dimension: used.count, l2: l2)
        var weights = Array(fit.coefficients.prefix(used.count))
        if options.conditionalLogit {
            var starts = y.indices.filter { y[$0] == 1 }
            starts.append(rows)
            weights = try ConditionalLogit.fit(x: x, dimension: used.count, groupStarts: starts, initial: weights, offsets: offsets, l2: l2)
            for _ in 0..<options.focusRounds where rankFocus > 0 && pool > 1 {
                let ranks = ConditionalLogit.estimatedRanks(x: x, dimension: used.count, groupStarts: starts, weights: weights, pool: pool,
                                                            offsets: offsets)
                let focus = ranks.map { 1 / (1 + $0 / rankFocus) }
                weights = try ConditionalLogit.fit(x: x, dimension: used.count, groupStarts: starts, initial: weights, offsets: offsets,
                                                   groupWeights: focus, l2: l2)
            }
        }
        var out: [ModelTerm: Double] = [:], centres: [ModelTerm: Double] = [:]
        for (k, j) in used.enumerated() { out[terms[j]] = weights[k] / sd[j] }
        for j in 0..<d { centres[terms[j]] = mean[j] }
        return (out, centres)
    }
}
