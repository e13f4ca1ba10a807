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
    /// Negatives per positive within 300 km of the query.
    public var nearbyNegatives = 0
    /// L2 penalty on the standardised weights.
    public var l2 = 1.0
    /// Refine the logistic regression with a conditional logit over each query's candidates.
    public var conditionalLogit = true
    public var seed: UInt64 = 20261122
    public init() {}
}

/// Fits a `TwinModel` on known partnerships by logistic regression (IRLS with LAPACK), separately for
/// warm queries (with known partners) and cold ones.
public enum ModelFitter {
    /// One training example: the term values of a (query, candidate) pair and whether they are partners.
    struct Example {
        let values: [Double]
        let label: Double
    }

    public static func fit(recommender: Recommender, pairs: [(Int, Int)], options: FitOptions = FitOptions(),
                           log: (String) -> Void = { _ in }) throws -> TwinModel {
        let start = Date()
        let n = recommender.profiles.count
        guard !pairs.isEmpty else { throw InputError(file: "known pairs", "no known pairs to fit on") }
        let full = PairGraph(count: n, pairs: pairs)
        let everywhere = SpatialGrid(latitudes: recommender.profiles.profiles.map(\.latitude),
                                     longitudes: recommender.profiles.profiles.map(\.longitude), rows: Array(0..<n))
        var rng = SplitMix64(seed: options.seed)
        let order = Array(pairs.indices).shuffled(using: &rng)
        let folds = max(2, options.folds)
        var warm: [Example] = [], cold: [Example] = []
        for f in 0..<folds {
            let held = Set(order.enumerated().filter { $0.offset % folds == f }.map(\.element))
            let rest = pairs.indices.filter { !held.contains($0) }.map { pairs[$0] }
            let context = TermContext(recommender: recommender, knownPairs: rest)
            let heldPairs = held.sorted().map { pairs[$0] }
            // Chunks are collected by index and joined in order, so the fit is the same on every run.
            let chunks = 8
            let perChunk: [(warm: [Example], cold: [Example])] = parallelMap(chunks) { chunk in
                var local = SplitMix64(seed: options.seed &+ UInt64(f * 1000 + chunk))
                var w: [Example] = [], c: [Example] = []
                for i in stride(from: chunk, to: heldPairs.count, by: chunks) {
                    let (a, b) = heldPairs[i]
                    for (q, pos) in [(a, b), (b, a)] {
                        let qt = context.query(q)
                        var examples = [Example(values: values(context, qt, pos), label: 1)]
                        for neg in negatives(q, qt, full: full, everywhere: everywhere, n: n, options: options, rng: &local) {
                            examples.append(Example(values: values(context, qt, neg), label: 0))
                        }
                        if context.isCold(q) { c += examples } else { w += examples }
                    }
                }
                return (w, c)
            }
            let foldWarm = perChunk.flatMap(\.warm), foldCold = perChunk.flatMap(\.cold)
            warm += foldWarm
            cold += foldCold
            log("fold \(f + 1)/\(folds): \(heldPairs.count) held-out pairs, \(foldWarm.count + foldCold.count) examples")
        }
        // Where one kind of query never occurs in the folds (every town with a single partner makes every
        // held-out query cold), it takes the other kind's weights.
        var (warmWeights, warmCentres) = try regress(warm, l2: options.l2, refine: options.conditionalLogit)
        var (coldWeights, coldCentres) = try regress(cold, l2: options.l2, refine: options.conditionalLogit)
        if warm.isEmpty { (warmWeights, warmCentres) = (coldWeights, coldCentres) }
        if cold.isEmpty { (coldWeights, coldCentres) = (warmWeights, warmCentres) }
        let seconds = Date().timeIntervalSince(start)
        log(String(format: "fitted on %d warm and %d cold examples in %.1f s", warm.count, cold.count, seconds))
        return TwinModel(warm: warmWeights, cold: coldWeights, warmCentres: warmCentres, coldCentres: coldCentres, provenance: [
            "method": "logistic regression by IRLS (LAPACK dposv) on standardised term values, L2 \(options.l2)"
                + (options.conditionalLogit ? ", refined by a conditional logit over each query's candidates (damped Newton, dposv)" : ""),
            "pairs": "\(pairs.count)",
            "folds": "\(folds): each fold's pairs are positives, scored on a graph of the other folds",
            "negatives": "per positive: \(options.randomNegatives) uniform, \(options.graphNegatives) from the graph neighbourhood, \(options.nearbyNegatives) within 300 km",
            "examples": "\(warm.count) warm, \(cold.count) cold",
            "seed": "\(options.seed)",
            "profiles": "\(n)",
            "seconds": String(format: "%.1f", seconds),
        ])
    }

    static func values(_ context: TermContext, _ qt: QueryTerms, _ c: Int) -> [Double] {
        let r = context.recommender
        let sims = r.extractor.similarities(r.stored.row(qt.query), r.stored.row(c))
        return ModelTerm.allCases.map { t in t.kind == .dense ? (sims[t.group!] ?? 0) : Double(qt.value(t, c)) }
    }

    static func negatives(_ q: Int, _ qt: QueryTerms, full: PairGraph, everywhere: SpatialGrid, n: Int,
                          options: FitOptions, rng: inout SplitMix64) -> [Int] {
        var out: [Int] = []
        func ok(_ c: Int) -> Bool { c != q && !full.contains(q, c) }
        var tries = 0
        while out.count < options.randomNegatives && tries < options.randomNegatives * 4 {
            tries += 1
            let c = Int.random(in: 0..<n, using: &rng)
            if ok(c) { out.append(c) }
        }
        let graphPool = qt.graphSlot.keys.map(Int.init).filter(ok)
        if !graphPool.isEmpty {
            for _ in 0..<min(options.graphNegatives, graphPool.count) { out.append(graphPool[Int.random(in: 0..<graphPool.count, using: &rng)]) }
        }
        let p = qt.context.profiles[q]
        let near = everywhere.within(km: 300, lat: p.latitude, lon: p.longitude).map(\.row).filter(ok)
        if !near.isEmpty {
            for _ in 0..<min(options.nearbyNegatives, near.count) { out.append(near[Int.random(in: 0..<near.count, using: &rng)]) }
        }
        return out
    }

    /// Logistic regression on standardised values (then, with `refine`, a conditional logit over each group:
    /// a positive followed by its negatives); returns weights on the original scale.
    static func regress(_ examples: [Example], l2: Double, refine: Bool = false) throws -> (weights: [ModelTerm: Double], centres: [ModelTerm: Double]) {
        let terms = ModelTerm.allCases
        let d = terms.count
        guard !examples.isEmpty else { return ([:], [:]) }
        var mean = [Double](repeating: 0, count: d), sd = [Double](repeating: 0, count: d)
        for e in examples { for j in 0..<d { mean[j] += e.values[j] } }
        for j in 0..<d { mean[j] /= Double(examples.count) }
        for e in examples { for j in 0..<d { sd[j] += (e.values[j] - mean[j]) * (e.values[j] - mean[j]) } }
        for j in 0..<d { sd[j] = (sd[j] / Double(examples.count)).squareRoot() }
        let used = (0..<d).filter { sd[$0] > 1e-9 }
        var x = [Double](), y = [Double]()
        x.reserveCapacity(examples.count * used.count)
        for e in examples {
            for j in used { x.append((e.values[j] - mean[j]) / sd[j]) }
            y.append(e.label)
        }
        let fit = try LogisticRegression.fit(x: x, y: y, dimension: used.count, l2: l2)
        var weights = Array(fit.coefficients.prefix(used.count))
        if refine {
            var starts = examples.indices.filter { examples[$0].label == 1 }
            starts.append(examples.count)
            weights = try ConditionalLogit.fit(x: x, dimension: used.count, groupStarts: starts, initial: weights, l2: l2)
        }
        var out: [ModelTerm: Double] = [:], centres: [ModelTerm: Double] = [:]
        for (k, j) in used.enumerated() { out[terms[j]] = weights[k] / sd[j] }
        for j in 0..<d { centres[terms[j]] = mean[j] }
        return (out, centres)
    }
}
