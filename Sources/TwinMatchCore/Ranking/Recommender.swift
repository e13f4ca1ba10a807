import Foundation

/// One term of a score: a feature group's weighted similarity, or a learned term.
public struct Contribution: Sendable, Equatable {
    public let name: String
    public let value: Double
    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }
}

/// A ranked candidate with its score split into contributions.
public struct Recommendation: Sendable {
    public let rank: Int
    public let row: Int
    public let score: Double
    public let contributions: [Contribution]
    public let distanceKm: Double
    public let sharedThemes: [String]
}

/// A ranked list for one query.
public struct RecommendationList: Sendable {
    public let query: Int
    public let results: [Recommendation]
}

/// Ranks partner cities for a query city over a profile set: feature vectors, exact BLAS top-k, filters,
/// and an explanation of every score.
public final class Recommender: @unchecked Sendable {
    public let profiles: ProfileSet
    public let extractor: FeatureExtractor
    /// Stored vectors, one row per profile.
    public let stored: FloatMatrix
    /// Lookup data of the country and migration groups.
    public let pairGroups: PairGroups
    /// Extra pairs to exclude from candidates (known partnerships), both directions, by row.
    public private(set) var knownPartners: [Int: Set<Int>] = [:]
    public var searchOptions = SearchOptions()

    /// Whether partner lists are read from the two profiles at query time (a lazily decoded set) rather
    /// than gathered into `knownPartners` up front.
    private let lazyPartners: Bool

    /// A recommender over `profiles`. The schema and stored vectors are, in order of preference: the
    /// arguments, those precomputed in the set's store (an index), or fitted and computed here.
    public init(profiles: ProfileSet, schema: FeatureSchema? = nil, stored: FloatMatrix? = nil) {
        self.profiles = profiles
        let pre = profiles.precomputed
        let schema = schema ?? pre?.schema ?? FeatureSchema.fit(Array(profiles.profiles))
        extractor = FeatureExtractor(schema: schema)
        self.stored = stored ?? pre?.stored ?? extractor.transform(Array(profiles.profiles))
        precondition(self.stored.rows == profiles.count && self.stored.cols == schema.dimension)
        pairGroups = profiles.pairGroups ?? extractor.pairGroups(Array(profiles.profiles))
        lazyPartners = profiles.profiles.isLazy
        if !lazyPartners {
            for (row, p) in profiles.profiles.enumerated() {
                for partner in p.partners { if let other = profiles.row(ofId: partner) { addKnownPair(row, other) } }
            }
        }
    }

    /// Whether `a` and `b` are known partners (either profile lists the other, or the pair was added).
    public func arePartners(_ a: Int, _ b: Int) -> Bool {
        if knownPartners[a]?.contains(b) == true { return true }
        guard lazyPartners else { return false }
        // Partner lists are symmetric (the loader completes them), so the query's own list suffices.
        return profiles.profiles[a].partners.contains(profiles.profiles.id(b))
    }

    /// Records a known partnership (excluded from both cities' candidates).
    public func addKnownPair(_ a: Int, _ b: Int) {
        guard a != b else { return }
        knownPartners[a, default: []].insert(b)
        knownPartners[b, default: []].insert(a)
    }

    /// Whether `candidate` may be recommended to `query` under `filter`.
    public func admits(query: Int, candidate: Int, filter: CandidateFilter) -> Bool {
        if candidate == query { return false }
        if arePartners(query, candidate) { return false }
        return filter.admits(query: query, candidate: candidate, in: profiles.profiles)
    }

    /// The best `limit` candidates for each query row.
    public func recommend(queries: [Int], limit: Int, weights: GroupWeights = GroupWeights(),
                          filter: CandidateFilter = CandidateFilter()) -> [RecommendationList] {
        let q = extractor.queryMatrix(stored, rows: queries, weights: weights)
        let lists = ExactSearch.topK(queries: q, candidates: stored, k: limit, tieRank: profiles.idRank,
                                     extras: pairGroups.terms(queryRows: queries, weights: weights),
                                     options: searchOptions) { [self] i, c in
            admits(query: queries[i], candidate: c, filter: filter)
        }
        return zip(queries, lists).map { query, neighbors in
            // Re-score the survivors in Double so contributions add up to the reported score exactly.
            var results = neighbors.map { explainScore(query: query, candidate: $0.row, weights: weights) }
            results.sort { a, b in a.score != b.score ? a.score > b.score : profiles.idRank[a.row] < profiles.idRank[b.row] }
            return RecommendationList(query: query, results: results.enumerated().map { i, r in
                Recommendation(rank: i + 1, row: r.row, score: r.score, contributions: r.contributions,
                               distanceKm: r.distanceKm, sharedThemes: r.sharedThemes)
            })
        }
    }

    /// The score of one pair split into contributions, in `Double`.
    public func explainScore(query: Int, candidate: Int, weights: GroupWeights = GroupWeights()) -> Recommendation {
        var sims = extractor.similarities(stored.row(query), stored.row(candidate))
        sims[.country] = Double(pairGroups.countrySimilarity(query, candidate))
        sims[.migration] = Double(pairGroups.migrationSimilarity(query, candidate))
        let contributions = FeatureGroup.allCases.map { Contribution(name: $0.rawValue, value: weights[$0] * (sims[$0] ?? 0)) }
        let q = profiles.profiles[query], c = profiles.profiles[candidate]
        let shared = Set(q.themes.map(\.key)).intersection(c.themes.map(\.key)).sorted()
        return Recommendation(rank: 0, row: candidate, score: contributions.reduce(0) { $0 + $1.value },
                              contributions: contributions,
                              distanceKm: haversineKm(q.latitude, q.longitude, c.latitude, c.longitude),
                              sharedThemes: shared)
    }
}
