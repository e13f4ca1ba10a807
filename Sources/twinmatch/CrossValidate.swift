import ArgumentParser
import Foundation
import TwinMatchCore

struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-validate",
        abstract: "Cross-validate the fitting setup on a partnership file: fit and evaluate once per fold.",
        discussion: "The pairs are shuffled as `split-pairs --folds N` shuffles them; each fold in turn is held out, a model is fitted (with `fit`'s options) on the other folds and evaluated on it as `evaluate` does. Reports every fold and the mean over the folds with its standard error.")

    @OptionGroup var data: ProfileOptions
    @Option(help: "The partnerships (CSV with geonameid_a,geonameid_b).") var pairs: String
    @Option(help: "How many equal parts the shuffled pairs are cut into.") var folds = 5
    @Option(help: "Run only this fold (from 0; repeatable). Default: every fold.") var fold: [Int] = []
    @Option(help: "Random seed of the shuffle (split-pairs' --seed).") var splitSeed: UInt64 = 20261122
    @OptionGroup(title: "Fitting (as fit's options)") var settings: FitSettings
    @Flag(help: "Exclude same-country candidates, as recommend does by default.") var excludeSameCountry = false
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "Also write every test query's rank here (CSV: fold,query_id,target_id,cold,rank).") var ranks: String?

    func validate() throws {
        if folds < 2 { throw ValidationError("--folds must be at least 2") }
        if let bad = fold.first(where: { !(0..<folds).contains($0) }) { throw ValidationError("--fold \(bad): must be from 0 to \(folds - 1)") }
        if Set(fold).count != fold.count { throw ValidationError("--fold: each fold once") }
        if format == .csv { throw ValidationError("--format: table or json") }
    }

    func run() throws {
        let corpus = try data.load()
        let set = corpus.profiles
        let split = try PairSplit(path: pairs, seed: splitSeed)
        let cv = try CrossValidation(corpus: corpus, split: split, count: folds, only: fold.sorted(), options: settings.options,
                                     excludeSameCountry: excludeSameCountry, log: note)
        if let ranks {
            var text = "fold,query_id,target_id,cold,rank\n"
            for f in cv.folds {
                for (i, q) in f.queries.enumerated() {
                    text += "\(f.index),\(set.profiles[q.query].id),\(set.profiles[q.target].id),\(f.report.isCold[i] ? 1 : 0),\(f.report.ranks[i])\n"
                }
            }
            try AtomicFile.write(Data(text.utf8), to: ranks)
        }
        try emit(render(cv), to: output)
    }

    func render(_ cv: CrossValidation) -> String {
        let parts: [(String, EvaluationReport.Part)] = [("all", .all), ("cold", .cold), ("warm", .warm)]
        switch format {
        case .json:
            let folds = JSON.array(cv.folds.map { f in
                guard case .object(let all) = metricsJSON(f.report, .all) else { return .null }
                return .object([("fold", .int(f.index)), ("train_pairs", .int(f.trainPairs)), ("test_pairs", .int(f.testPairs))] + all
                               + [("cold", metricsJSON(f.report, .cold)), ("warm", metricsJSON(f.report, .warm)),
                                  ("fit_seconds", .number(r1(f.fitSeconds))), ("evaluate_seconds", .number(r1(f.report.seconds)))])
            })
            let summary = parts.map { name, part -> (String, JSON) in
                let s = cv.summary(part)
                return (name, .object([("mean", valuesJSON(s.mean)), ("standard_errors", valuesJSON(s.errors))]))
            }
            return JSON.object([("pairs", .string(pairs)), ("folds", .int(self.folds)), ("split_seed", .string(String(splitSeed))), ("fit_seed", .string(String(settings.seed))),
                                ("fold_results", folds)] + summary).render() + "\n"
        default:
            var out = "\(self.folds)-fold cross-validation of \(pairs) (split seed \(splitSeed)): each fold's test pairs ranked by a model fitted on the other folds\n\n"
            func row(_ name: String, _ counts: [String], _ metrics: [MetricValues], _ seconds: [String]) -> [String] {
                let (all, cold, warm) = (metrics[0], metrics[1], metrics[2])
                return [name] + counts + [fixed(all.recallAt10), fixed(all.recallAt50), fixed(all.recallAt100), fixed(all.mrr, 4),
                                          fixed(cold.recallAt10), fixed(cold.mrr, 4), fixed(warm.recallAt10), fixed(warm.mrr, 4)] + seconds
            }
            var table = cv.folds.map { f in
                row(String(f.index), [String(f.trainPairs), String(f.testPairs), String(f.report.all.queries)],
                    parts.map { f.report.metrics($0.1).values }, [fixed(f.fitSeconds, 1), fixed(f.report.seconds, 1)])
            }
            let summaries = parts.map { cv.summary($0.1) }
            table.append(row("mean", ["", "", ""], summaries.map(\.mean), ["", ""]))
            table.append(row("± s.e.", ["", "", ""], summaries.map(\.errors), ["", ""]))
            out += tableText(["fold", "train pairs", "test pairs", "queries", "R@10", "R@50", "R@100", "MRR", "cold R@10", "cold MRR",
                              "warm R@10", "warm MRR", "fit s", "evaluate s"], table, rightAligned: Set(1...13))
            return out + "\n± s.e.: the folds' standard deviation over √folds.\n"
        }
    }
}
