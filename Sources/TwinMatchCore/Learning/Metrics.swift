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

    public var recallAt10: Double { queries == 0 ? 0 : Double(hitsAt10) / Double(queries) }
    public var recallAt50: Double { queries == 0 ? 0 : Double(hitsAt50) / Double(queries) }
    public var recallAt100: Double { queries == 0 ? 0 : Double(hitsAt100) / Double(queries) }
    public var mrr: Double { queries == 0 ? 0 : reciprocalRankSum / Double(queries) }
    /// The four figures together.
    public var values: MetricValues { MetricValues([recallAt10, recallAt50, recallAt100, mrr]) }

    /// The four metrics of one query whose target has this rank: hit at 10, 50, 100, reciprocal rank.
    static func values(rank: Int) -> [Double] {
        [rank <= 10 ? 1 : 0, rank <= 50 ? 1 : 0, rank <= 100 ? 1 : 0, 1 / Double(max(rank, 1))]
    }
}

/// One value for each of `RankingMetrics`' four figures: a standard error, or a change.
public struct MetricValues: Sendable, Equatable {
    public var recallAt10 = 0.0
    public var recallAt50 = 0.0
    public var recallAt100 = 0.0
    public var mrr = 0.0

    public init() {}

    /// From four values in the order recall at 10, 50, 100, MRR.
    init(_ four: [Double]) {
        (recallAt10, recallAt50, recallAt100, mrr) = (four[0], four[1], four[2], four[3])
    }

    /// The four values in the order recall at 10, 50, 100, MRR.
    var list: [Double] { [recallAt10, recallAt50, recallAt100, mrr] }

    /// The means of `values` (one row of four metrics per query) and their standard errors, the queries
    /// grouped in clusters that need not be independent within (`cluster[i]` names query i's). Each mean
    /// is a ratio of cluster sums, Σ S_g / Σ m_g, with the cluster-robust variance
    /// G / (G − 1) · Σ_g (S_g − mean · m_g)² / (Σ m_g)² over the G clusters. Zero below two clusters.
    static func clustered(values: [[Double]], cluster: [Int]) -> (means: MetricValues, errors: MetricValues) {
        var sums: [Int: [Double]] = [:]
        var sizes: [Int: Double] = [:]
        var order: [Int] = []
        for (row, g) in zip(values, cluster) {
            if sums[g] == nil { order.append(g); sums[g] = [0, 0, 0, 0] }
            for m in 0..<4 { sums[g]?[m] += row[m] }
            sizes[g, default: 0] += 1
        }
        let clusters = Double(order.count), total = Double(values.count)
        var means = [0.0, 0, 0, 0], se = [0.0, 0, 0, 0]
        for m in 0..<4 where total > 0 {
            means[m] = order.reduce(0.0) { $0 + (sums[$1]?[m] ?? 0) } / total
            guard order.count >= 2 else { continue }
            let spread = order.reduce(0.0) { acc, g in
                let d = (sums[g]?[m] ?? 0) - means[m] * (sizes[g] ?? 0)
                return acc + d * d
            }
            se[m] = (clusters / (clusters - 1) * spread).squareRoot() / total
        }
        return (MetricValues(means), MetricValues(se))
    }
}

/// How much a ranking's metrics differ from another's on the same queries (this minus the other), with
/// standard errors of the differences: paired per query, so what both rankings get right or wrong cancels.
public struct MetricChange: Sendable, Equatable {
    public var change = MetricValues()
    public var errors = MetricValues()
    /// Queries whose target is in the top 10 of this ranking and not the other's, and the reverse.
    public var gainedAt10 = 0
    public var lostAt10 = 0
}

/// Metrics split by whether the query had a known partner.
public struct EvaluationReport: Sendable {
    public var seconds = 0.0
    /// Per query, in query order: the 1-based rank of its target, whether it was cold, and the index of the
    /// test pair it came from (a pair's two directions are one cluster for the standard errors).
    public private(set) var ranks: [Int] = []
    public private(set) var isCold: [Bool] = []
    public private(set) var pairIndex: [Int] = []

    public init() {}

    public enum Part: Sendable { case all, cold, warm }

    public mutating func add(rank: Int, cold isCold: Bool, pair: Int) {
        ranks.append(rank)
        self.isCold.append(isCold)
        pairIndex.append(pair)
    }

    /// The metrics of all queries, of the cold ones or of the warm ones.
    public func metrics(_ part: Part) -> RankingMetrics {
        var m = RankingMetrics()
        for i in rows(part) { m.add(rank: ranks[i]) }
        return m
    }

    public var all: RankingMetrics { metrics(.all) }
    public var cold: RankingMetrics { metrics(.cold) }
    public var warm: RankingMetrics { metrics(.warm) }

    func rows(_ part: Part) -> [Int] {
        ranks.indices.filter { part == .all || isCold[$0] == (part == .cold) }
    }

    /// Standard errors of `metrics(part)`, each test pair's two queries taken as one cluster: they share
    /// the pair, so counting them as independent draws would understate the error.
    public func standardErrors(_ part: Part) -> MetricValues {
        let rows = rows(part)
        return MetricValues.clustered(values: rows.map { RankingMetrics.values(rank: ranks[$0]) }, cluster: rows.map { pairIndex[$0] }).errors
    }

    /// The change from `other`, a report on the same queries, to this one; nil if the queries differ.
    public func change(from other: EvaluationReport, _ part: Part) -> MetricChange? {
        guard other.pairIndex == pairIndex, other.isCold == isCold else { return nil }
        let rows = rows(part)
        let differences = rows.map { i in
            zip(RankingMetrics.values(rank: ranks[i]), RankingMetrics.values(rank: other.ranks[i])).map { $0 - $1 }
        }
        var change = MetricChange()
        (change.change, change.errors) = MetricValues.clustered(values: differences, cluster: rows.map { pairIndex[$0] })
        change.gainedAt10 = rows.filter { ranks[$0] <= 10 && other.ranks[$0] > 10 }.count
        change.lostAt10 = rows.filter { ranks[$0] > 10 && other.ranks[$0] <= 10 }.count
        return change
    }
}
