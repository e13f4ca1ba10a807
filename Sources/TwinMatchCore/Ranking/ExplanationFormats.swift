import Foundation

extension Explanation {
    /// The pair, its score with the reasons by family and their facts, raw score and terms, distance,
    /// whether they are partners, common partners, twinnings between their countries and regions, shared
    /// and complementary themes, shared networks and languages, and the suggested topics with their reasons.
    public func json(_ set: ProfileSet) -> JSON {
        let list = set.profiles
        return .object([
            ("schema_version", .int(outputSchemaVersion)),
            ("a", placeJSON(set, a)), ("b", placeJSON(set, b)),
        ] + reasons.jsonFields + [
            ("distance_km", .number((distanceKm * 10).rounded() / 10)),
            ("existing_partnership", .bool(existingPartnership)),
            ("common_partners", .array(commonPartners.map { .object([("id", .string(list.id($0))), ("name", .string(list.name($0)))]) })),
            ("country_pair_twinnings", .int(countryPairs)),
            ("region_pair_twinnings", .int(regionPairs)),
            ("shared_themes", .array(sharedThemes.map(JSON.string))),
            ("complementary_themes", .array(complementary.map {
                .object([("theme", .string($0.theme)), ("offered_by", .string(list.id($0.offeredBy))), ("sought_by", .string(list.id($0.soughtBy)))])
            })),
            ("shared_networks", .array(sharedNetworks.map { .string(networkName($0)) })),
            ("shared_languages", .array(sharedLanguages.map(JSON.string))),
            ("suggested_topics", .array(suggestions.map { .object([("topic", .string($0.topic)), ("reason", .string($0.reason))]) })),
        ])
    }

    /// The pair, its score by family with the facts behind each, what the two share and the suggested
    /// topics, as text; `verbose` adds the raw score and every raw term with its meaning.
    public func table(_ set: ProfileSet, verbose: Bool = false) -> String {
        let pa = set.profiles[a], pb = set.profiles[b], e = self
        var out = "\(pa.name) (\(pa.country), id \(pa.id)) ↔ \(pb.name) (\(pb.country), id \(pb.id))\n"
        out += "\(grouped(e.distanceKm)) km apart; population \(grouped(pa.population)) / \(grouped(pb.population))"
        out += e.existingPartnership ? "; existing partnership\n\n" : "\n\n"
        let rounded = reasons.roundedPoints
        out += "score \(rounded.score) of 100 (\(scaleNote(reasons.scale))); the points below add up to it\n\n"
        var rows = zip(reasons.families, rounded.families).map { f, p in
            [f.family.label, signed(p), f.facts.joined(separator: "; ")]
        }
        rows.append(["a typical candidate", String(rounded.baseline), "the score of a pair with no reason for or against"])
        out += tableText(["reason", "points", "facts"], rows, rightAligned: [1])
        if verbose {
            out += "\nraw score \(fixed(e.score))\n"
            out += tableText(["term", "contribution", "a high value means"],
                             e.contributions.map { [$0.name, fixed($0.value), ModelTerm(rawValue: $0.name)?.meaning ?? ""] }, rightAligned: [1])
        }
        out += "\nshared themes: \(e.sharedThemes.isEmpty ? "none" : e.sharedThemes.joined(separator: ", "))\n"
        let comp = e.complementary.map { "\($0.theme) (\(set.profiles[$0.offeredBy].name) → \(set.profiles[$0.soughtBy].name))" }
        out += "complementary: \(comp.isEmpty ? "none" : comp.joined(separator: ", "))\n"
        if !e.sharedNetworks.isEmpty { out += "shared networks: \(e.sharedNetworks.map(networkName).joined(separator: ", "))\n" }
        if !e.sharedLanguages.isEmpty { out += "shared languages: \(e.sharedLanguages.joined(separator: ", "))\n" }
        out += "\nsuggested topics:\n"
        for (i, s) in e.suggestions.enumerated() { out += "  \(i + 1). \(s.topic): \(s.reason)\n" }
        return out
    }

    /// `term,value` rows: the score (0–100), the raw score, the baseline, each family's points
    /// (`points_<family>`), then each raw term; text cells are made safe for spreadsheets unless `raw`.
    public func csv(raw: Bool = false) -> String {
        var out = "term,value\n"
        out += "score,\(JSON.number(r2(reasons.score)))\nraw_score,\(JSON.number(r6(score)))\nbaseline,\(JSON.number(r2(reasons.baseline)))\n"
        for f in reasons.families { out += "points_\(f.family.rawValue),\(JSON.number(r2(f.points)))\n" }
        for c in contributions { out += "\(csvField(c.name, raw: raw)),\(JSON.number(r6(c.value)))\n" }
        return out
    }
}

/// "+12", "−3", "0".
func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : n < 0 ? "−\(-n)" : "0" }
