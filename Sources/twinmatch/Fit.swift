import ArgumentParser
import Foundation
import TwinMatchCore

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
    @Option(help: "Leave this term out of the fit, its weight 0 (repeatable; for ablations).") var without: [String] = []

    func validate() throws {
        if randomNegatives < 1 { throw ValidationError("--random-negatives must be at least 1") }
        if !(rankFocus.isFinite && rankFocus >= 0) { throw ValidationError("--rank-focus must be a non-negative number") }
        if focusRounds < 0 { throw ValidationError("--focus-rounds must not be negative") }
        if graphNegatives < 0 || nearbyNegatives < 0 || partneredNegatives < 0 { throw ValidationError("negative counts must not be negative") }
        if !(l2.isFinite && l2 >= 0) { throw ValidationError("--l2 must be a non-negative number") }
        for t in without where ModelTerm(rawValue: t) == nil {
            throw ValidationError("--without: no term '\(t)'; the terms are \(ModelTerm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
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
        options.excluded = Set(without.compactMap(ModelTerm.init(rawValue:)))
        return options
    }
}

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn the model's term weights from known partnerships.",
        discussion: "Logistic regression (IRLS, LAPACK) over every model term: content groups, popularity, distance and size preferences, country and region affinity, partners of partners. Warm queries (with known partners) and cold ones get separate weights.\n\nExample: twinmatch fit --known-pairs train.csv --out model.json")

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
