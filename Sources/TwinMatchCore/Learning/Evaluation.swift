import Foundation

/// Evaluates rankings on held-out partnerships: for each test pair, both directions, the query ranks every
/// candidate except itself and its known (training) partners; a hit at k is the other side in the top k.
public struct Evaluation: Sendable {
    public let context: TermContext
    /// (query, target) rows: both directions of every test pair, test pair i giving rows 2i and 2i + 1.
    public let queries: [(query: Int, target: Int)]

    public init(context: TermContext, testPairs: [(Int, Int)]) {
        self.context = context
        var q: [(Int, Int)] = []
        for (a, b) in testPairs { q.append((a, b)); q.append((b, a)) }
        queries = q
    }

    /// Candidates a query may rank: not itself, not a known partner (and not its country when asked).
    func admissible(excludeSameCountry: Bool) -> ExactSearch.Admissible {
        let graph = context.graph, country = context.country
        return { q, c in
            c != q && !graph.contains(q, c) && !(excludeSameCountry && country[q] >= 0 && country[q] == country[c])
        }
    }

    /// Metrics of `model`, split by cold and warm queries.
    public func run(_ model: TwinModel, excludeSameCountry: Bool = false, options: SearchOptions = SearchOptions()) -> EvaluationReport {
        let start = Date()
        let ranker = ModelRanker(context: context, model: model, search: options)
        let ranks = ranker.ranks(queries: queries.map(\.query), targets: queries.map(\.target),
                                 admissible: admissible(excludeSameCountry: excludeSameCountry))
        var report = EvaluationReport()
        for (i, q) in queries.enumerated() { report.add(rank: ranks[i], cold: context.isCold(q.query), pair: i / 2) }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// A uniformly random ranking: the target's rank is uniform over the admissible candidates.
    public func randomBaseline(seed: UInt64) -> EvaluationReport {
        var rng = SplitMix64(seed: seed)
        var report = EvaluationReport()
        let n = context.profiles.count
        for (i, q) in queries.enumerated() {
            let candidates = max(1, n - 1 - context.graph.degree(q.query))
            report.add(rank: Int.random(in: 1...candidates, using: &rng), cold: context.isCold(q.query), pair: i / 2)
        }
        return report
    }

    /// What the known partnerships say about a test query's target. The groups are disjoint, tested in
    /// this order: they show where a ranking's hits come from and where none can be expected.
    public enum Relation: String, CaseIterable, Sendable {
        /// The target has no known partner (the query may have some).
        case unpartneredTarget = "unpartnered_target"
        /// The query has no known partner; the target has.
        case coldToPartnered = "cold_to_partnered"
        /// The two have a partner in common.
        case twoHops = "two_hops"
        /// A partner of the query and a partner of the target are partners.
        case threeHops = "three_hops"
        /// The target is twinned with another place of the query's country.
        case partnerCountry = "partner_country"
        /// None of these.
        case elsewhere

        public var label: String {
            switch self {
            case .unpartneredTarget: return "target has no known partner"
            case .coldToPartnered: return "cold query, target has partners"
            case .twoHops: return "warm, target a partner of a partner (2 hops)"
            case .threeHops: return "warm, target 3 hops away"
            case .partnerCountry: return "warm, target twinned with another place of the query's country"
            case .elsewhere: return "warm, target twinned elsewhere"
            }
        }
    }

    /// The relation of every query to its target, in query order.
    public func relations() -> [Relation] {
        let graph = context.graph, country = context.country
        func meet(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>) -> Bool {
            var i = a.startIndex, j = b.startIndex
            while i < a.endIndex && j < b.endIndex {
                if a[i] == b[j] { return true }
                if a[i] < b[j] { i += 1 } else { j += 1 }
            }
            return false
        }
        return queries.map { q, t in
            let nq = graph.neighbours[q], nt = graph.neighbours[t]
            if nt.isEmpty { return .unpartneredTarget }
            if nq.isEmpty { return .coldToPartnered }
            if meet(nq, nt) { return .twoHops }
            if nt.contains(where: { meet(graph.neighbours[Int($0)], nq) }) { return .threeHops }
            if country[q] >= 0 && nt.contains(where: { country[Int($0)] == country[q] }) { return .partnerCountry }
            return .elsewhere
        }
    }

    /// One group of queries by `Relation`: how many, how many with the target in the top 10, and their
    /// median rank (the lower median: a rank some query has; 0 for an empty group).
    public struct RelationSummary: Sendable, Equatable {
        public let relation: Relation
        public let queries: Int
        public let hits: Int
        public let medianRank: Int
        public var recallAt10: Double { queries == 0 ? 0 : Double(hits) / Double(queries) }
    }

    /// `report`'s ranks (of these queries) grouped by `relations()`, one summary per relation in order.
    public func breakdown(_ report: EvaluationReport) -> [RelationSummary] {
        let relations = relations()
        return Relation.allCases.map { relation in
            let ranks = zip(report.ranks, relations).filter { $0.1 == relation }.map(\.0).sorted()
            return RelationSummary(relation: relation, queries: ranks.count, hits: ranks.filter { $0 <= 10 }.count,
                                   medianRank: ranks.isEmpty ? 0 : ranks[(ranks.count - 1) / 2])
        }
    }

    /// The simple baselines reported beside the model.
    public static let baselines: [(name: String, model: TwinModel)] = [
        ("popularity", TwinModel(weights: [.partnerCount: 1, .logPopulation: 0.01])),
        ("distance", TwinModel(weights: [.near3000: 1])),
        ("size", TwinModel(weights: [.sizeProduct: 2, .logPopulationSquared: -1])),
        ("content", TwinModel.contentOnly),
    ]
}
