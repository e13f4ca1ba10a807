import Foundation

/// Ranks by content similarity: `Σ_g w_g · sim_g` over the feature groups, the dense groups as one BLAS
/// inner product of a weighted query vector and the stored vectors, country and migration by lookup.
public struct ContentRanker: Ranker {
    public let corpus: Corpus
    public let graph: PairGraph
    public let weights: GroupWeights
    public let search: SearchOptions

    /// - Parameter graph: the partnerships whose partners are never proposed (default: the profiles' own).
    public init(corpus: Corpus, graph: PairGraph? = nil, weights: GroupWeights = GroupWeights(), search: SearchOptions = SearchOptions()) {
        self.corpus = corpus
        self.graph = graph ?? corpus.partnerships()
        self.weights = weights
        self.search = search
    }

    public func recommend(queries: [Int], limit: Int, filter: CandidateFilter = CandidateFilter()) -> [RecommendationList] {
        let modes = modeTerms(queries, filter)
        let lists = neighbours(queries: queries, k: pool(limit, filter), modes: modes) { [self] q, c in admits(query: q, candidate: c, filter: filter) }
        return queries.indices.map { i in
            let query = queries[i]
            // Re-score the survivors in Double so contributions add up to the reported score exactly.
            return ranked(query, shaped(lists[i], limit: limit, filter: filter).map { n in
                let r = score(query: query, candidate: n.row)
                let parts = modes?.blended(r.contributions, i, n.row, corpus) ?? r.contributions
                return Recommendation(rank: 0, row: n.row, score: parts.reduce(0) { $0 + $1.value }, contributions: parts,
                                      distanceKm: r.distanceKm, sharedThemes: r.sharedThemes)
            })
        }
    }

    /// The best `k` candidates of each query row that `admissible` (query row, candidate row) accepts, with
    /// their `Float` scores.
    func neighbours(queries: [Int], k: Int, modes: ModeTerms?, admissible: @escaping ExactSearch.Admissible) -> [[Neighbor]] {
        let q = corpus.extractor.queryMatrix(corpus.stored, rows: queries, weights: weights)
        return ExactSearch.topK(queries: q, candidates: corpus.stored, k: k, tieRank: corpus.idRank, bias: nil,
                                extras: corpus.pairGroups.terms(queryRows: queries, weights: weights), modes: modes,
                                groups: corpus.pairGroups, options: search) { i, c in
            admissible(queries[i], c)
        }
    }

    public func ranks(queries: [Int], targets: [Int], admissible: @escaping ExactSearch.Admissible) -> [Int] {
        let q = corpus.extractor.queryMatrix(corpus.stored, rows: queries, weights: weights)
        let scores = zip(queries, targets).map { Float(score(query: $0, candidate: $1).score) }
        return ExactSearch.ranks(queries: q, candidates: corpus.stored, targets: targets, targetScores: scores, tieRank: corpus.idRank,
                                 extras: corpus.pairGroups.terms(queryRows: queries, weights: weights), options: search) { i, c in
            admissible(queries[i], c)
        }
    }

    /// The score of one pair split into contributions, in `Double`.
    public func score(query: Int, candidate: Int) -> Recommendation {
        let contributions = self.contributions(query: query, candidate: candidate)
        return Recommendation(rank: 0, row: candidate, score: contributions.reduce(0) { $0 + $1.value }, contributions: contributions,
                              distanceKm: corpus.distanceKm(query, candidate), sharedThemes: corpus.sharedThemes(query, candidate))
    }

    /// One contribution per feature group: its weight × the pair's similarity on it.
    public func contributions(query: Int, candidate: Int) -> [Contribution] {
        var sims = corpus.extractor.similarities(corpus.stored.row(query), corpus.stored.row(candidate))
        sims[.country] = Double(corpus.pairGroups.countrySimilarity(query, candidate))
        sims[.migration] = Double(corpus.pairGroups.migrationSimilarity(query, candidate))
        return FeatureGroup.allCases.map { Contribution(name: $0.rawValue, value: weights[$0] * (sims[$0] ?? 0)) }
    }

    public func explain(_ a: Int, _ b: Int) -> Explanation {
        explanation(a, b, contributions: score(query: a, candidate: b).contributions)
    }

    /// 100 × the weighted similarity: 100 for a pair identical on every group.
    public var scale: ScoreScale { .content }

    public func family(of term: String) -> ReasonFamily {
        Self.modeFamily(term) ?? FeatureGroup(rawValue: term)?.family ?? .themes
    }

    /// A full complement or diaspora fit adds the weight of the themes group (0.25 by default) to the score.
    public var interestWeight: Double { max(weights[.themes], 0.05) }
}
