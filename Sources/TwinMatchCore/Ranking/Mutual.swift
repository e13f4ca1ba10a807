import Foundation

/// Mutual fit: a list of partners who would also want us. For query `A` and candidate `B`, the fused raw
/// score is
///
///     ½ s(A → B) + ½ s(B → A) − u · log10 r(A | B)
///
/// where `s` is the ranker's raw score (the request's blend for A's view, the peer score for B's), `r(A | B)`
/// is A's rank among B's own candidates (B's partners excluded, other countries only unless the request
/// allows its own) and `u` the scale's unit (the learned model: its width, so each factor of ten down B's
/// list costs as much as one width of A's view; the content ranker: 0.1). Both views and the rank are
/// reported as terms, so the score still splits into reasons: A's view keeps its families at half weight,
/// and B's view and the rank form the "their view of us" family.
///
/// The candidates are A's best `pool` under the request's filter, scored both ways; B's ranks come from one
/// exact pass over every place per candidate (`Ranker.ranks`).
public struct MutualView: Sendable, Equatable {
    /// B's raw score of A (B as the query) and A's 1-based rank among B's candidates.
    public let reverseRaw: Double
    public let rank: Int
}

extension Ranker {
    /// The names of the mutual terms.
    static var mutualTerms: (view: String, rank: String) { ("their_view", "their_rank") }

    /// What one factor of ten in B's ranking of A costs, in raw units.
    var rankUnit: Double {
        switch scale.form {
        case .logistic(_, let width): return width
        case .linear(let factor): return 10 / factor
        }
    }

    /// The best `limit` candidates of `query` by mutual fit under `filter` (its shape and spread applied to
    /// the fused order), with each candidate's view of the query.
    public func mutualRecommend(_ query: Int, limit: Int, filter: CandidateFilter) -> (list: RecommendationList, views: [Int: MutualView]) {
        var forwardFilter = filter
        forwardFilter.maxNearby = nil
        forwardFilter.shape = ListShape()
        let poolSize = max(50, pool(limit, filter) * 2)
        let forward = recommend(queries: [query], limit: poolSize, filter: forwardFilter).first?.results ?? []
        guard !forward.isEmpty else { return (RecommendationList(query: query, results: []), [:]) }
        let rows = forward.map(\.row)
        var reverseFilter = CandidateFilter.byScore
        reverseFilter.excludeSameCountry = filter.excludeSameCountry
        let reverse = reverseFilter
        let ranks = self.ranks(queries: rows, targets: rows.map { _ in query }) { [self] b, c in admits(query: b, candidate: c, filter: reverse) }
        let reverseRaw = parallelMap(rows.count) { i in contributions(query: rows[i], candidate: query).reduce(0) { $0 + $1.value } }
        let names = Self.mutualTerms, unit = rankUnit
        var views: [Int: MutualView] = [:]
        let fused = forward.indices.map { i -> Recommendation in
            let r = forward[i]
            views[r.row] = MutualView(reverseRaw: reverseRaw[i], rank: ranks[i])
            let parts = r.contributions.map { Contribution(name: $0.name, value: $0.value / 2) }
                + [Contribution(name: names.view, value: reverseRaw[i] / 2), Contribution(name: names.rank, value: -unit * log10(Double(max(1, ranks[i]))))]
            return Recommendation(rank: 0, row: r.row, score: parts.reduce(0) { $0 + $1.value }, contributions: parts,
                                  distanceKm: r.distanceKm, sharedThemes: r.sharedThemes)
        }
        let byRow = Dictionary(uniqueKeysWithValues: fused.map { ($0.row, $0) })
        let order = ranked(query, fused).results.map { Neighbor(row: $0.row, score: Float($0.score)) }
        let kept = shaped(order, limit: limit, filter: filter).compactMap { byRow[$0.row] }
        return (ranked(query, kept), views)
    }
}
