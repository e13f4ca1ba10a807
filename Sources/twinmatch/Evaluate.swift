import ArgumentParser
import Foundation
import TwinMatchCore

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure how well rankings recover held-out partnerships.",
        discussion: "For each test pair, both directions: the query ranks every candidate except itself and its known partners; a hit at k is the other city in the top k. Reports recall at 10, 50 and 100 and MRR, for cold queries (no known partner), warm ones and all, beside baselines.\n\nExample: twinmatch evaluate --known-pairs train.csv --test-pairs test.csv --model model.json")

    @OptionGroup var data: ProfileOptions
    @OptionGroup var known: KnownPairOptions
    @Option(help: "The held-out partnerships (CSV with geonameid_a,geonameid_b).") var testPairs: String
    @Option(help: "A fitted model (default: fit one on --known-pairs now).") var model: String?
    @Option(help: "Cut-off reported as the headline recall.") var k = 10
    @Flag(help: "Skip the baselines.") var noBaselines = false
    @Flag(help: "Exclude same-country candidates, as recommend does by default.") var excludeSameCountry = false
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "Also write the model's rank of every test query's target here (CSV: query_id,target_id,cold,rank).") var ranks: String?
    @Option(help: "Another fitted model to rank the same queries: reports its figures and the change from it to --model, with standard errors of the change.") var compare: String?
    @Flag(help: "Also break the model's hits down by what the known pairs say about each test pair (2 hops, 3 hops, partner-less target, …).") var breakdown = false

    func validate() throws {
        if known.knownPairs == nil { throw ValidationError("--known-pairs is required (the training partnerships)") }
        if ![10, 50, 100].contains(k) { throw ValidationError("--k must be 10, 50 or 100") }
    }

    func run() throws {
        let corpus = try data.load()
        guard let train = try known.load(corpus) else { return }
        let test = try KnownPairs.read(path: testPairs, rowOf: corpus.profiles.row(ofId:))
        note(test.summary)
        guard !test.pairs.isEmpty else {
            throw InputError(file: testPairs, "nothing to measure: no test pair with both cities in the profiles (read: \(test.summary))")
        }
        let overlap = EvaluationRun.overlap(train: train.pairs, test: test.pairs)
        if overlap > 0 { note("warning: \(overlap) test pairs are also training pairs") }
        let fitted: TwinModel
        if let model { fitted = try TwinModel.load(path: model) } else {
            note("no --model: fitting one on the training pairs")
            fitted = try ModelFitter.fit(corpus: corpus, pairs: train.pairs, log: note)
        }
        let other = try compare.map(TwinModel.load(path:))
        let run = EvaluationRun(corpus: corpus, train: train.pairs, test: test.pairs, model: fitted, compare: other,
                                baselines: !noBaselines, excludeSameCountry: excludeSameCountry, breakdown: breakdown)
        let files = AtomicFileSet()
        if let ranks { try files.write(Data(run.ranksCSV.utf8), to: ranks) }
        try emit(render(run), to: output, with: files)
    }

    func render(_ run: EvaluationRun) -> String {
        switch format {
        case .json: return run.json(compareName: compare).render() + "\n"
        default: return run.table(headline: k, compareName: compare)
        }
    }
}
