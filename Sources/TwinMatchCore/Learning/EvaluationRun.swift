import Foundation

/// What `evaluate` measures, as one call: a model (and optionally a second one to compare) ranks the
/// held-out pairs over the training graph, beside the simple baselines.
public struct EvaluationRun: Sendable {
    public let evaluation: Evaluation
    /// The model's figures.
    public let main: EvaluationReport
    /// The second model's, on the same queries, ranked with its own country reference.
    public let compared: EvaluationReport?
    /// The baselines by name, random first.
    public let baselines: [(name: String, report: EvaluationReport)]
    /// The model's hits by relation, when asked for.
    public let breakdown: [Evaluation.RelationSummary]

    /// - Parameters:
    ///   - train: the known (training) pairs: with the profiles' partnerships, the graph every ranking reads.
    ///   - test: the held-out pairs, ranked both ways.
    public init(corpus: Corpus, train: [(Int, Int)], test: [(Int, Int)], model: TwinModel, compare: TwinModel? = nil,
                baselines: Bool = true, excludeSameCountry: Bool = false, breakdown: Bool = false) {
        let graph = corpus.partnerships(adding: train)
        let evaluation = Evaluation(context: TermContext(corpus: corpus, graph: graph, reference: model.reference), testPairs: test)
        self.evaluation = evaluation
        main = evaluation.run(model, excludeSameCountry: excludeSameCountry)
        compared = compare.map { other in
            // Each model ranks with its own country reference, as it would on its own.
            let own = other.reference == model.reference ? evaluation
                : Evaluation(context: TermContext(corpus: corpus, graph: graph, reference: other.reference), testPairs: test)
            return own.run(other, excludeSameCountry: excludeSameCountry)
        }
        var rows: [(name: String, report: EvaluationReport)] = []
        if baselines {
            rows.append(("random", evaluation.randomBaseline(seed: 7)))
            for (name, m) in Evaluation.baselines { rows.append((name, evaluation.run(m, excludeSameCountry: excludeSameCountry))) }
        }
        self.baselines = rows
        self.breakdown = breakdown ? evaluation.breakdown(main) : []
    }

    /// How many of `test` are also in `train` (either way round).
    public static func overlap(train: [(Int, Int)], test: [(Int, Int)]) -> Int {
        let known = Set(train.map { PairKey($0.0, $0.1) })
        return test.filter { known.contains(PairKey($0.0, $0.1)) }.count
    }

    /// The model's rank of every test query's target, as CSV: `query_id,target_id,cold,rank`.
    public var ranksCSV: String {
        let ids = evaluation.context.profiles
        var text = "query_id,target_id,cold,rank\n"
        for (i, q) in evaluation.queries.enumerated() {
            text += "\(ids.id(q.query)),\(ids.id(q.target)),\(evaluation.context.isCold(q.query) ? 1 : 0),\(main.ranks[i])\n"
        }
        return text
    }
}
