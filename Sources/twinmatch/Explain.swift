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
        let pa = set.profiles[e.a], pb = set.profiles[e.b]
        func city(_ p: CityProfile) -> JSON { .object([("id", .string(p.id)), ("name", .string(p.name)), ("country", .string(p.country))]) }
        switch format {
        case .json:
            return JSON.object([
                ("a", city(pa)), ("b", city(pb)),
                ("score", .number(r6(e.score))),
                ("contributions", .object(e.contributions.map { ($0.name, .number(r6($0.value))) })),
                ("distance_km", .number((e.distanceKm * 10).rounded() / 10)),
                ("existing_partnership", .bool(e.existingPartnership)),
                ("shared_themes", .array(e.sharedThemes.map(JSON.string))),
                ("complementary_themes", .array(e.complementary.map {
                    .object([("theme", .string($0.theme)), ("offered_by", .string(set.profiles[$0.offeredBy].id)), ("sought_by", .string(set.profiles[$0.soughtBy].id))])
                })),
                ("shared_networks", .array(e.sharedNetworks.map(JSON.string))),
                ("shared_languages", .array(e.sharedLanguages.map(JSON.string))),
                ("suggested_topics", .array(e.suggestions.map { .object([("topic", .string($0.topic)), ("reason", .string($0.reason))]) })),
            ]).render() + "\n"
        case .csv:
            var out = "term,value\n"
            out += "score,\(JSON.number(r6(e.score)))\n"
            for c in e.contributions { out += "\(csvField(c.name)),\(JSON.number(r6(c.value)))\n" }
            return out
        case .table:
            var out = "\(pa.name) (\(pa.country), id \(pa.id)) ↔ \(pb.name) (\(pb.country), id \(pb.id))\n"
            out += "distance \(Int(e.distanceKm.rounded())) km; population \(Int(pa.population)) / \(Int(pb.population))"
            out += e.existingPartnership ? "; existing partnership\n\n" : "\n\n"
            out += "score \(fixed(e.score))\n"
            out += tableText(["term", "contribution", "a high value means"],
                             e.contributions.map { [$0.name, fixed($0.value), ModelTerm(rawValue: $0.name)?.meaning ?? ""] }, rightAligned: [1])
            let families = ModelTerm.families(e.contributions).map { f, members in
                "\(f.rawValue) \(fixed(members.reduce(0) { $0 + $1.value })) (\(members.map(\.name).joined(separator: ", ")))"
            }
            if !families.isEmpty { out += "\nread together, as they overlap: " + families.joined(separator: "; ") + "\n" }
            out += "\nshared themes: \(e.sharedThemes.isEmpty ? "none" : e.sharedThemes.joined(separator: ", "))\n"
            let comp = e.complementary.map { "\($0.theme) (\(set.profiles[$0.offeredBy].name) → \(set.profiles[$0.soughtBy].name))" }
            out += "complementary: \(comp.isEmpty ? "none" : comp.joined(separator: ", "))\n"
            if !e.sharedNetworks.isEmpty { out += "shared networks: \(e.sharedNetworks.joined(separator: ", "))\n" }
            if !e.sharedLanguages.isEmpty { out += "shared languages: \(e.sharedLanguages.joined(separator: ", "))\n" }
            out += "\nsuggested topics:\n"
            for (i, s) in e.suggestions.enumerated() { out += "  \(i + 1). \(s.topic): \(s.reason)\n" }
            return out
        }
    }
}
