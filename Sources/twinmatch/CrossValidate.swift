import ArgumentParser
import Foundation
import TwinMatchCore

struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-validate",
        abstract: "Cross-validate the fitting setup on a partnership file: fit and evaluate once per fold.",
        discussion: "The pairs are shuffled as `split-pairs --folds N` shuffles them; each fold in turn is held out, a model is fitted (with `fit`'s options) on the other folds and evaluated on it as `evaluate` does. Reports every fold and the mean over the folds with its standard error.\n\nExample: twinmatch cross-validate --pairs datasets/reference/twin_pairs.csv --folds 5 --fold 0")

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
        let files = AtomicFileSet()
        if let ranks { try files.write(Data(cv.ranksCSV(set).utf8), to: ranks) }
        try emit(render(cv), to: output, with: files)
    }

    func render(_ cv: CrossValidation) -> String {
        switch format {
        case .json:
            return cv.json(pairs: pairs, folds: folds, splitSeed: splitSeed, fitSeed: settings.seed).render() + "\n"
        default: return cv.table(pairs: pairs, folds: folds, splitSeed: splitSeed)
        }
    }
}
