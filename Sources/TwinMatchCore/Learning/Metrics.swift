/// Ranking quality over a set of queries: recall at 10, 50 and 100 and mean reciprocal rank.
public struct RankingMetrics: Sendable, Equatable {
    public var queries = 0
    public var hitsAt10 = 0
    public var hitsAt50 = 0
    public var hitsAt100 = 0
    public var reciprocalRankSum = 0.0

    public init() {}

    /// Records the 1-based rank of the held-out partner.
    public mutating func add(rank: Int) {
        queries += 1
        if rank <= 10 { hitsAt10 += 1 }
        if rank <= 50 { hitsAt50 += 1 }
        if rank <= 100 { hitsAt100 += 1 }
        reciprocalRankSum += 1 / Double(max(rank, 1))
    }

    public mutating func merge(_ other: RankingMetrics) {
        queries += other.queries
        hitsAt10 += other.hitsAt10
        hitsAt50 += other.hitsAt50
        hitsAt100 += other.hitsAt100
        reciprocalRankSum += other.reciprocalRankSum
    }

    public var recallAt10: Double { queries == 0 ? 0 : Double(hitsAt10) / Double(queries) }
    public var recallAt50: Double { queries == 0 ? 0 : Double(hitsAt50) / Double(queries) }
    public var recallAt100: Double { queries == 0 ? 0 : Double(hitsAt100) / Double(queries) }
    public var mrr: Double { queries == 0 ? 0 : reciprocalRankSum / Double(queries) }
}

/// Metrics split by whether the query had a known partner.
public struct EvaluationReport: Sendable {
    public var all = RankingMetrics()
    public var cold = RankingMetrics()
    public var warm = RankingMetrics()
    public var seconds = 0.0
    /// The 1-based rank of each query's target, in query order (empty for merged reports).
    public var ranks: [Int] = []

    public init() {}

    public mutating func add(rank: Int, cold isCold: Bool) {
        all.add(rank: rank)
        if isCold { cold.add(rank: rank) } else { warm.add(rank: rank) }
    }

    public mutating func merge(_ other: EvaluationReport) {
        all.merge(other.all)
        cold.merge(other.cold)
        warm.merge(other.warm)
    }
}
