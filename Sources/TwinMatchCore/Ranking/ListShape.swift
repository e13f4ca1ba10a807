import Foundation

/// How a list is drawn from the ranked pool, beyond the score order: at most so many per country, every size
/// band represented, and a diverse list by maximal marginal relevance. (The spread over places,
/// `CandidateFilter.maxNearby`, is applied in the same pass.)
///
/// The list is built greedily. At each step the next candidate is the best by the objective among those
/// that keep the constraints: with `relevance` λ set, maximal marginal relevance,
///
///     λ · rel(c) − (1 − λ) · max over listed s of sim(c, s),
///
/// where `rel` is the candidate's score rescaled to [0, 1] over the pool and `sim` the content similarity
/// of the two candidates' profiles (country, size, place, themes, languages, networks; default group
/// weights, in [0, 1]); otherwise the score. `maxPerCountry` is a hard cap; `mixedSizes` saves the last
/// places of the list for the size bands (`SizeBand`) the pool has and the list still lacks; `maxNearby`
/// passes a candidate over while enough listed ones lie near it, and passed-over candidates fill the end.
/// The list is then shown in score order.
public struct ListShape: Sendable, Equatable {
    public var maxPerCountry: Int?
    public var mixedSizes = false
    /// The weight λ of relevance in maximal marginal relevance (nil: no diversification).
    public var relevance: Double?

    public init(maxPerCountry: Int? = nil, mixedSizes: Bool = false, relevance: Double? = nil) {
        self.maxPerCountry = maxPerCountry
        self.mixedSizes = mixedSizes
        self.relevance = relevance
    }

    /// The relevance weight of `--diverse` without a value.
    public static let defaultRelevance = 0.5

    public var isPlain: Bool { maxPerCountry == nil && !mixedSizes && relevance == nil }
}

extension Ranker {
    /// How many candidates to rank so that `filter`'s shaping can still fill `limit`.
    func pool(_ limit: Int, _ filter: CandidateFilter) -> Int {
        if !filter.shape.isPlain { return max(limit * 5, limit + 50) }
        return filter.maxNearby == nil ? limit : limit * 3
    }

    /// The first `limit` of `neighbours` (best first) under `filter`'s spread and shape (see `ListShape`).
    func shaped(_ neighbours: [Neighbor], limit: Int, filter: CandidateFilter) -> [Neighbor] {
        let shape = filter.shape
        if shape.isPlain && (filter.maxNearby == nil || neighbours.count <= limit) { return Array(neighbours.prefix(limit)) }
        let corpus = self.corpus, list = corpus.profiles.profiles
        let lo = Double(neighbours.last?.score ?? 0), hi = Double(neighbours.first?.score ?? 0)
        func relevance(_ n: Neighbor) -> Double { hi > lo ? (Double(n.score) - lo) / (hi - lo) : 1 }
        // Each pooled candidate's size band and country (numbered in pool order), read once.
        let band = neighbours.map { SizeBand(population: list.population($0.row)) }
        var countryNumber: [String: Int] = [:]
        let country: [Int] = shape.maxPerCountry == nil ? [] : neighbours.map { n in
            let code = list.country(n.row)
            if let k = countryNumber[code] { return k }
            countryNumber[code] = countryNumber.count
            return countryNumber.count - 1
        }
        let bands = Set(band)
        var kept: [Neighbor] = [], perCountry = [Int](repeating: 0, count: countryNumber.count), keptBands = Set<SizeBand>()
        var remaining = Array(neighbours.indices)   // pool positions
        var similarity: [Int: Double] = [:]   // row → the largest similarity to a listed candidate
        while kept.count < limit {
            let missing = shape.mixedSizes ? bands.subtracting(keptBands) : []
            // The bands still missing take the last places (when a candidate of theirs can still be listed).
            let mustFill = missing.count >= limit - kept.count
            func best(bandsOnly: Bool) -> (index: Int, value: Double, crowded: Bool)? {
                var best: (index: Int, value: Double, crowded: Bool)?
                for (i, p) in remaining.enumerated() {
                    let n = neighbours[p]
                    if let cap = shape.maxPerCountry, perCountry[country[p]] >= cap { continue }
                    if bandsOnly && !missing.contains(band[p]) { continue }
                    let crowded = filter.maxNearby.map { cap in
                        kept.filter { corpus.distanceKm($0.row, n.row) <= CandidateFilter.clusterKm }.count >= cap
                    } ?? false
                    let value = shape.relevance.map { λ in λ * relevance(n) - (1 - λ) * (similarity[n.row] ?? 0) } ?? Double(n.score)
                    // The first of equal values stays: the pool is in score order, then id.
                    if let b = best, (b.crowded ? 1 : 0, -b.value) <= (crowded ? 1 : 0, -value) { continue }
                    best = (i, value, crowded)
                }
                return best
            }
            guard let pick = (mustFill ? best(bandsOnly: true) : nil) ?? best(bandsOnly: false) else { break }
            let p = remaining.remove(at: pick.index), n = neighbours[p]
            kept.append(n)
            if shape.maxPerCountry != nil { perCountry[country[p]] += 1 }
            keptBands.insert(band[p])
            if shape.relevance != nil {
                for r in remaining.map({ neighbours[$0].row }) { similarity[r] = max(similarity[r] ?? 0, profileSimilarity(n.row, r)) }
            }
        }
        return kept
    }

    /// The content similarity of two places' profiles under the default group weights, clamped to [0, 1].
    func profileSimilarity(_ a: Int, _ b: Int) -> Double {
        var sims = corpus.extractor.similarities(corpus.stored.row(a), corpus.stored.row(b))
        sims[.country] = Double(corpus.pairGroups.countrySimilarity(a, b))
        sims[.migration] = Double(corpus.pairGroups.migrationSimilarity(a, b))
        let weights = GroupWeights()
        let total = FeatureGroup.allCases.reduce(0.0) { $0 + weights[$1] }
        let s = FeatureGroup.allCases.reduce(0.0) { $0 + weights[$1] * (sims[$1] ?? 0) } / max(total, 1e-12)
        return min(1, max(0, s))
    }
}
