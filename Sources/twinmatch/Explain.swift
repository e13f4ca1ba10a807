import ArgumentParser
import Foundation
import TwinMatchCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain how well two cities match and what they could work on together.",
        discussion: "Cities are names or ids (use NAME,ISO2 — e.g. 'Frankfurt,DE' — when a name is ambiguous). Shows the score (0–100) with its points per family of reasons and the facts behind each (--verbose adds the raw terms), shared and complementary themes, and topics suggested by the pair's data: how an existing partnership can be revived. --mode, --blend, --seeks and --offers score the pair as recommend does under them, with which offers met which seeks and which migration figure counted.\n\nExample: twinmatch explain Cuneo Louga,SN")

    @OptionGroup var data: ProfileOptions
    @Argument(help: "The first city (name, NAME,ISO2, or id).") var cityA: String
    @Argument(help: "The second city (name, NAME,ISO2, or id).") var cityB: String
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var learned: ModelOptions
    @OptionGroup var modes: ModeOptions
    @OptionGroup var out: OutputOptions

    func validate() throws {
        var f = CandidateFilter()
        do { try modes.apply(to: &f) } catch let error as OptionError { throw ValidationError(error.message) }
    }

    func run() throws {
        let corpus = try data.load()
        let a = try resolveCity(corpus.profiles, cityA), b = try resolveCity(corpus.profiles, cityB)
        guard a != b else { throw ValidationError("the two cities are the same") }
        var filter = CandidateFilter()
        try modes.apply(to: &filter)
        if let problem = filter.modeProblem(query: a, corpus: corpus) { throw ValidationError(problem.message) }
        let e = try learned.ranker(corpus, weights: try scoring.groupWeights()).explain(a, b, filter: filter)
        let set = corpus.profiles
        try out.write(json: { e.json(set) }, csv: { e.csv(raw: $0) }, table: { e.table(set, verbose: data.verbose) })
    }
}
