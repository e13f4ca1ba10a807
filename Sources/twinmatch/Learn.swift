import ArgumentParser
import Foundation
import TwinMatchCore

/// Options naming known partnerships.
struct KnownPairOptions: ParsableArguments {
    @Option(help: "Known partnerships: CSV with geonameid_a,geonameid_b (ids are profile ids; other columns ignored).")
    var knownPairs: String?

    func load(_ corpus: Corpus) throws -> KnownPairs? {
        guard let knownPairs else { return nil }
        let pairs = try KnownPairs.read(path: knownPairs, rowOf: corpus.profiles.row(ofId:))
        note(pairs.summary)
        return pairs
    }
}

/// Options of ranking with a learned model.
struct ModelOptions: ParsableArguments {
    @OptionGroup var known: KnownPairOptions
    @Option(help: ArgumentHelp("A fitted model (JSON from `twinmatch fit`), or `default` for the shipped one.",
                               discussion: "Its graph terms need known partnerships: the profiles' partners plus --known-pairs."))
    var model: String?

    /// The shipped model, fitted on the public twin-town pairs.
    static var defaultModelPath: String {
        URL(fileURLWithPath: DefaultDataset.path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models/default.json").path
    }

    /// The model file to read: --model, with `default` meaning the shipped one.
    var modelPath: String? { model.map { $0 == "default" ? Self.defaultModelPath : $0 } }

    /// The ranker these options ask for: --model over the profiles' partnerships and --known-pairs, or the
    /// content similarity with `weights` (never proposing those partners either).
    func ranker(_ corpus: Corpus, weights: GroupWeights, search: SearchOptions = SearchOptions()) throws -> any Ranker {
        let pairs = try known.load(corpus)?.pairs ?? []
        let fitted = try modelPath.map(TwinModel.load(path:))
        return corpus.ranker(known: pairs, model: fitted, weights: weights, search: search)
    }
}

func note(_ text: String) { FileHandle.standardError.write(Data("\(text)\n".utf8)) }

struct SplitPairs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split-pairs",
        abstract: "Split known partnerships into training and test files (seeded, reproducible).")

    @Option(help: "The partnerships to split (CSV with geonameid_a,geonameid_b).") var pairs: String
    @Option(help: "Fraction of pairs for the test file (default 0.2).") var testFraction: Double?
    @Option(help: "Cross-validation: cut the shuffled pairs into this many equal parts; --fold chooses the test part.") var folds: Int?
    @Option(help: "With --folds: which part (from 0) is the test file; fold 0 of 5 is the default 20 % split.") var fold: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 20261122
    @Option(help: "Write the training pairs here.") var train: String
    @Option(help: "Write the test pairs here.") var test: String

    func validate() throws {
        if let testFraction, !(testFraction > 0 && testFraction < 1) { throw ValidationError("--test-fraction must be between 0 and 1") }
        if (folds == nil) != (fold == nil) { throw ValidationError("--folds and --fold go together") }
        if let folds, let fold {
            if testFraction != nil { throw ValidationError("--test-fraction and --folds exclude each other") }
            if folds < 2 { throw ValidationError("--folds must be at least 2") }
            if !(0..<folds).contains(fold) { throw ValidationError("--fold must be from 0 to \(folds - 1)") }
        }
    }

    func run() throws {
        let split = try PairSplit(path: pairs, seed: seed)
        let testRows = if let folds, let fold { split.testRows(folds: folds, fold: fold) } else { split.testRows(fraction: testFraction ?? 0.2) }
        let parts = split.parts(test: testRows)
        func write(_ rows: [CSVRecord], _ path: String) throws {
            let body = ([split.header] + rows).map { $0.fields.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
            try AtomicFile.write(Data(body.utf8), to: path)
        }
        try write(parts.test, test)
        try write(parts.train, train)
        note("\(parts.train.count) training pairs → \(train), \(parts.test.count) test pairs → \(test) (seed \(seed))")
    }
}

/// The fitting options `fit` and `cross-validate` share (all but `fit`'s own `--folds`).
struct FitSettings: ParsableArguments {
    @Option(help: "Random seed for negative sampling.") var seed: UInt64 = FitOptions().seed
    @Option(help: "Uniform negatives per positive.") var randomNegatives = FitOptions().randomNegatives
    @Option(help: "L2 penalty on the standardised weights.") var l2 = FitOptions().l2
    @Option(help: "Refit with each query weighted 1 / (1 + rank / ρ) by its partner's estimated rank (0: off).") var rankFocus = FitOptions().rankFocus
    @Option(help: "How many times the rank-focused refit is repeated, each on the ranks the previous one estimates.") var focusRounds = FitOptions().focusRounds
    @Option(help: "Negatives per positive drawn among places with known partners (corrected for how often each is drawn).") var partneredNegatives = FitOptions().partneredNegatives
    @Option(help: "Negatives per positive drawn from the query's graph neighbourhood (corrected for how often each is drawn).") var graphNegatives = FitOptions().graphNegatives
    @Option(help: "Negatives per positive drawn within 300 km of the query (corrected likewise).") var nearbyNegatives = FitOptions().nearbyNegatives

    func validate() throws {
        if randomNegatives < 1 { throw ValidationError("--random-negatives must be at least 1") }
        if !(rankFocus.isFinite && rankFocus >= 0) { throw ValidationError("--rank-focus must be a non-negative number") }
        if focusRounds < 0 { throw ValidationError("--focus-rounds must not be negative") }
        if graphNegatives < 0 || nearbyNegatives < 0 || partneredNegatives < 0 { throw ValidationError("negative counts must not be negative") }
        if !(l2.isFinite && l2 >= 0) { throw ValidationError("--l2 must be a non-negative number") }
    }

    var options: FitOptions {
        var options = FitOptions()
        options.seed = seed
        options.randomNegatives = randomNegatives
        options.l2 = l2
        options.rankFocus = rankFocus
        options.focusRounds = focusRounds
        options.graphNegatives = graphNegatives
        options.partneredNegatives = partneredNegatives
        options.nearbyNegatives = nearbyNegatives
        return options
    }
}

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn the model's term weights from known partnerships.",
        discussion: "Logistic regression (IRLS, LAPACK) over every model term: content groups, popularity, distance and size preferences, country and region affinity, partners of partners. Warm queries (with known partners) and cold ones get separate weights.")

    @OptionGroup var data: ProfileOptions
    @OptionGroup var known: KnownPairOptions
    @Option(help: "Write the model (JSON) here.") var out: String
    @OptionGroup var settings: FitSettings
    @Option(help: "Folds: each fold's pairs are positives scored on a graph of the other folds.") var folds = FitOptions().folds

    func validate() throws {
        if known.knownPairs == nil { throw ValidationError("--known-pairs is required") }
        if folds < 2 { throw ValidationError("--folds must be at least 2") }
    }

    func run() throws {
        let corpus = try data.load()
        guard let pairs = try known.load(corpus) else { return }
        var options = settings.options
        options.folds = folds
        var model = try ModelFitter.fit(corpus: corpus, pairs: pairs.pairs, options: options, log: note)
        model.provenance["known_pairs"] = URL(fileURLWithPath: pairs.file).lastPathComponent
        model.provenance["profiles_file"] = URL(fileURLWithPath: corpus.profiles.source).lastPathComponent
        try model.save(path: out)
        note("wrote \(out)")
    }
}

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure how well rankings recover held-out partnerships.",
        discussion: "For each test pair, both directions: the query ranks every candidate except itself and its known partners; a hit at k is the other city in the top k. Reports recall at 10, 50 and 100 and MRR, for cold queries (no known partner), warm ones and all, beside baselines.")

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
        if let ranks { try AtomicFile.write(Data(run.ranksCSV.utf8), to: ranks) }
        try emit(render([("model", run.main)] + run.baselines.map { ($0.name, $0.report) }, compared: run.compared, groups: run.breakdown), to: output)
    }

    func changeJSON(_ main: EvaluationReport, from other: EvaluationReport, _ part: EvaluationReport.Part) -> JSON {
        guard let c = main.change(from: other, part), case .object(let values) = valuesJSON(c.change) else { return .null }
        return .object(values + [("standard_errors", valuesJSON(c.errors)), ("gained_at_10", .int(c.gainedAt10)), ("lost_at_10", .int(c.lostAt10))])
    }

    func render(_ rows: [(String, EvaluationReport)], compared: EvaluationReport?, groups: [Evaluation.RelationSummary]) -> String {
        let main = rows[0].1
        switch format {
        case .json:
            func report(_ r: EvaluationReport) -> [(String, JSON)] {
                guard case .object(let all) = metricsJSON(r, .all) else { return [] }
                return all + [("cold", metricsJSON(r, .cold)), ("warm", metricsJSON(r, .warm)), ("seconds", .number(r1(r.seconds)))]
            }
            var fields = report(main)
            if let compared, let compare {
                let change = JSON.object([("all", changeJSON(main, from: compared, .all)), ("cold", changeJSON(main, from: compared, .cold)),
                                          ("warm", changeJSON(main, from: compared, .warm))])
                fields.append(("compared", .object([("model", .string(compare))] + report(compared) + [("change", change)])))
            }
            if !groups.isEmpty {
                fields.append(("breakdown", .array(groups.map { g in
                    .object([("group", .string(g.relation.rawValue)), ("queries", .int(g.queries)), ("hits_at_10", .int(g.hits)),
                             ("recall_at_10", .number(r6(g.recallAt10))), ("median_rank", .int(g.medianRank))])
                })))
            }
            return JSON.object(fields + [("baselines", .object(rows.dropFirst().map { ($0.0, .object(report($0.1))) }))]).render() + "\n"
        default:
            var out = "queries: \(rows[0].1.all.queries) (cold \(rows[0].1.cold.queries), warm \(rows[0].1.warm.queries)); headline recall@\(k)\n\n"
            func row(_ name: String, all: MetricValues, cold: MetricValues, warm: MetricValues, seconds: String = "") -> [String] {
                [name, fixed(all.recallAt10), fixed(all.recallAt50), fixed(all.recallAt100), fixed(all.mrr, 4),
                 fixed(cold.recallAt10), fixed(cold.mrr, 4), fixed(warm.recallAt10), fixed(warm.mrr, 4), seconds]
            }
            func reportRow(_ name: String, _ r: EvaluationReport) -> [String] {
                row(name, all: r.all.values, cold: r.cold.values, warm: r.warm.values, seconds: String(format: "%.1f", r.seconds))
            }
            var table = rows.map(reportRow)
            table.insert(row("± s.e.", all: main.standardErrors(.all), cold: main.standardErrors(.cold), warm: main.standardErrors(.warm)), at: 1)
            var gained = ""
            if let compared, let compare, let all = main.change(from: compared, .all),
               let cold = main.change(from: compared, .cold), let warm = main.change(from: compared, .warm) {
                table.insert(contentsOf: [reportRow("compared", compared), row("change", all: all.change, cold: cold.change, warm: warm.change),
                                          row("± s.e.", all: all.errors, cold: cold.errors, warm: warm.errors)], at: 2)
                gained = "compared: \(compare); change = model − compared, paired by query. In the top 10: \(all.gainedAt10) targets gained, \(all.lostAt10) lost.\n"
            }
            out += tableText(["ranking", "R@10", "R@50", "R@100", "MRR", "cold R@10", "cold MRR", "warm R@10", "warm MRR", "s"], table,
                                   rightAligned: Set(1...9))
            out += "\n± s.e.: standard errors of the row above, the two directions of a test pair taken as one cluster.\n" + gained
            if !groups.isEmpty {
                out += "\nThe model's hits by what the known pairs say about the test pair (disjoint groups):\n\n"
                out += tableText(["test query", "queries", "top-10 hits", "R@10", "median rank"], groups.map { g in
                    [g.relation.label, String(g.queries), String(g.hits), fixed(g.recallAt10), String(g.medianRank)]
                }, rightAligned: Set(1...4))
            }
            return out
        }
    }
}

/// The four figures of `MetricValues` as a JSON object.
func valuesJSON(_ v: MetricValues) -> JSON {
    .object([("recall_at_10", .number(r6(v.recallAt10))), ("recall_at_50", .number(r6(v.recallAt50))),
             ("recall_at_100", .number(r6(v.recallAt100))), ("mrr", .number(r6(v.mrr)))])
}

/// One part of a report as JSON: its query count, four figures and their standard errors.
func metricsJSON(_ r: EvaluationReport, _ part: EvaluationReport.Part) -> JSON {
    let m = r.metrics(part)
    guard case .object(let values) = valuesJSON(m.values) else { return .null }
    return .object([("queries", .int(m.queries))] + values + [("standard_errors", valuesJSON(r.standardErrors(part)))])
}
