import ArgumentParser
import Foundation
import TwinMatchCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain how well two cities match and what they could work on together.",
        discussion: "Cities are names or ids (use NAME,ISO2 — e.g. 'Frankfurt,DE' — when a name is ambiguous). Shows the score with its per-group contributions, shared and complementary themes, and suggested topics: how an existing partnership can be revived.")

    @OptionGroup var data: ProfileOptions
    @Argument(help: "The first city (name, NAME,ISO2, or id).") var cityA: String
    @Argument(help: "The second city (name, NAME,ISO2, or id).") var cityB: String
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var learned: ModelOptions
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?

    func run() throws {
        let corpus = try data.load()
        let a = try resolveCity(corpus.profiles, cityA), b = try resolveCity(corpus.profiles, cityB)
        guard a != b else { throw ValidationError("the two cities are the same") }
        let e = try learned.ranker(corpus, weights: try scoring.groupWeights()).explain(a, b)
        try emit(render(e, set: corpus.profiles), to: output)
    }

    func render(_ e: Explanation, set: ProfileSet) -> String {
        switch format {
        case .json: return e.json(set).render() + "\n"
        case .csv: return e.csv
        case .table: return e.table(set)
        }
    }
}
