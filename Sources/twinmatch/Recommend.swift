import ArgumentParser
import Foundation
import TwinMatchCore

struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank partner candidates for one city.",
        discussion: "Scores add up per-group contributions (size, geography, themes, complementarity, migration, languages, networks, country). The city itself and its partners are never proposed; its own country only with --allow-same-country.")

    @OptionGroup var data: ProfileOptions
    @Option(help: "The city's name.") var city: String?
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
        let list = ranker.recommend(queries: [query], limit: limit, filter: filters.filter)[0]
        try emit(render(list, set: corpus.profiles), to: output)
    }

    func render(_ list: RecommendationList, set: ProfileSet) -> String {
        let q = set.profiles[list.query]
        switch format {
        case .json:
            return JSON.object([
                ("query", .object([("id", .string(q.id)), ("name", .string(q.name)), ("country", .string(q.country))])),
                ("results", .array(list.results.map { recommendationJSON($0, set: set) })),
            ]).render() + "\n"
        case .csv:
            let groups = list.results.first?.contributions.map(\.name) ?? FeatureGroup.allCases.map(\.rawValue)
            var out = (["rank", "id", "name", "country", "population", "distance_km", "score"] + groups + ["shared_themes"]).joined(separator: ",") + "\n"
            for r in list.results {
                let c = set.profiles[r.row]
                let cells = [String(r.rank), c.id, c.name, c.country, String(Int(c.population)), fixed(r.distanceKm, 1), JSON.number(r6(r.score))]
                    + r.contributions.map { JSON.number(r6($0.value)) } + [r.sharedThemes.joined(separator: ";")]
                out += cells.map(csvField).joined(separator: ",") + "\n"
            }
            return out
        case .table:
            var out = "Partners for \(q.name) (\(q.country), id \(q.id), population \(Int(q.population)))\n\n"
            let rows = list.results.map { r -> [String] in
                let c = set.profiles[r.row]
                let top = ModelTerm.byFamily(r.contributions).filter { $0.value > 0.0005 }.sorted { $0.value > $1.value }.prefix(3)
                    .map { "\($0.name) \(fixed($0.value))" }.joined(separator: ", ")
                return [String(r.rank), c.name, c.country, String(Int(c.population)), String(Int(r.distanceKm.rounded())), fixed(r.score), top]
            }
            out += tableText(["#", "city", "country", "population", "km", "score", "main reasons"], rows, rightAligned: [0, 3, 4, 5])
            return out
        }
    }
}

func recommendationJSON(_ r: Recommendation, set: ProfileSet) -> JSON {
    let c = set.profiles[r.row]
    return .object([
        ("rank", .int(r.rank)), ("id", .string(c.id)), ("name", .string(c.name)), ("country", .string(c.country)),
        ("population", .int(Int(c.population))), ("distance_km", .number((r.distanceKm * 10).rounded() / 10)),
        ("score", .number(r6(r.score))),
        ("contributions", .object(r.contributions.map { ($0.name, .number(r6($0.value))) })),
        ("shared_themes", .array(r.sharedThemes.map(JSON.string))),
    ])
}
