import ArgumentParser
import Foundation
import TwinMatchCore

struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank partner candidates for one city.",
        discussion: "Scores add up per-group contributions (size, geography, themes, complementarity, migration, languages, networks, country). The city itself and its partners are never proposed; its own country only with --allow-same-country.")

    @OptionGroup var data: ProfileOptions
    @Option(help: "The city's name, as people write it (München, Muenchen and Munich alike), or NAME,ISO2 (e.g. Frankfurt,DE).") var city: String?
    @Option(help: "The city's country (ISO2), to tell same-named cities apart.") var country: String?
    @Option(help: "The city's id.") var id: String?
    @Option(help: "How many candidates.") var limit = 10
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var learned: ModelOptions
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if city == nil && id == nil { throw ValidationError("give a city: --city NAME [--country ISO2] or --id ID") }
    }

    func run() throws {
        let corpus = try data.load()
        let query = try resolveCity(corpus.profiles, name: city, country: country, id: id)
        let ranker = try learned.ranker(corpus, weights: try scoring.groupWeights())
        let list = ranker.recommend(queries: [query], limit: limit, filter: try filters.checkedFilter())[0]
        try emit(render(list, set: corpus.profiles), to: output)
    }

    func render(_ list: RecommendationList, set: ProfileSet) -> String {
        let q = set.profiles[list.query]
        switch format {
        case .json: return list.json(set).render() + "\n"
        case .csv: return list.csv(set)
        case .table: return list.table(set)
        }
    }
}
