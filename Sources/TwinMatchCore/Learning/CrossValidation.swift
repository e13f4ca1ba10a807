import Foundation

/// k-fold cross-validation of the fitting setup: each fold of a `PairSplit` is held out in turn, a model is
/// fitted on the other folds' pairs and ranks the held-out ones, as `split-pairs --folds`, `fit` and
/// `evaluate` would one fold at a time.
public struct CrossValidation {
    public struct Fold: Sendable {
        public let index: Int
        public let trainPairs: Int
        public let testPairs: Int
        /// The (query, target) rows of the held-out pairs, in the order of `report`'s ranks.
        public let queries: [(query: Int, target: Int)]
        public let report: EvaluationReport
        public let fitSeconds: Double
    }

    public let folds: [Fold]

    init(folds: [Fold]) { self.folds = folds }

    /// Runs the folds `only` (all when empty) of `count`, fitting each with `options`.
    public init(corpus: Corpus, split: PairSplit, count: Int, only: [Int] = [], options: FitOptions = FitOptions(),
                excludeSameCountry: Bool = false, log: (String) -> Void = { _ in }) throws {
        guard count >= 2 else { throw InputError(file: split.file, "cross-validation needs at least 2 folds") }
        let chosen = only.isEmpty ? Array(0..<count) : only
        if let bad = chosen.first(where: { !(0..<count).contains($0) }) {
            throw InputError(file: split.file, "fold \(bad) is not one of 0…\(count - 1)")
        }
        let rowOf = corpus.profiles.row(ofId:)
        log(try KnownPairs.parse(header: split.header, rows: split.shuffled, file: split.file, rowOf: rowOf).summary)
        var folds: [Fold] = []
        for fold in chosen {
            let (trainRows, testRows) = split.parts(test: split.testRows(folds: count, fold: fold))
            let train = try KnownPairs.parse(header: split.header, rows: trainRows, file: split.file, rowOf: rowOf)
            let test = try KnownPairs.parse(header: split.header, rows: testRows, file: split.file, rowOf: rowOf)
            log("fold \(fold) of \(count): \(train.pairs.count) training pairs, \(test.pairs.count) test pairs")
            let start = Date()
            let model = try ModelFitter.fit(corpus: corpus, pairs: train.pairs, options: options, log: { log("  " + $0) })
            let fitSeconds = Date().timeIntervalSince(start)
            let evaluation = Evaluation(context: TermContext(corpus: corpus, graph: corpus.partnerships(adding: train.pairs), reference: model.reference),
                                        testPairs: test.pairs)
            let report = evaluation.run(model, excludeSameCountry: excludeSameCountry)
            log("fold \(fold): recall@10 \(String(format: "%.3f", report.all.recallAt10)), MRR \(String(format: "%.4f", report.all.mrr))")
            folds.append(Fold(index: fold, trainPairs: train.pairs.count, testPairs: test.pairs.count, queries: evaluation.queries, report: report, fitSeconds: fitSeconds))
        }
        self.folds = folds
    }

    /// The mean over the folds of each metric, and its standard error: the folds' standard deviation over
    /// √folds (zero for a single fold). Folds without a query of `part` have no figure to add and are left out.
    public func summary(_ part: EvaluationReport.Part) -> (mean: MetricValues, errors: MetricValues) {
        let rows = folds.map { $0.report.metrics(part) }.filter { $0.queries > 0 }.map(\.values.list)
        let n = Double(rows.count)
        var mean = [0.0, 0, 0, 0], errors = [0.0, 0, 0, 0]
        for m in 0..<4 where !rows.isEmpty {
            mean[m] = rows.reduce(0) { $0 + $1[m] } / n
            guard rows.count >= 2 else { continue }
            let variance = rows.reduce(0) { $0 + ($1[m] - mean[m]) * ($1[m] - mean[m]) } / (n - 1)
            errors[m] = (variance / n).squareRoot()
        }
        return (MetricValues(mean), MetricValues(errors))
    }
}
