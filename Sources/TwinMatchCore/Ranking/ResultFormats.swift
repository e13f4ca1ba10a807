import Foundation

// The JSON, CSV and text forms of rankings and explanations, shared by the command-line tool and a server.

extension RecommendationList {
    /// `{"query": {id, name, country}, "results": [...]}`, each result as `Recommendation.json`.
    public func json(_ set: ProfileSet) -> JSON {
        let q = set.profiles[query]
        return .object([
            ("query", .object([("id", .string(q.id)), ("name", .string(q.name)), ("country", .string(q.country))])),
            ("results", .array(results.map { $0.json(set) })),
        ])
    }

    /// A text table: rank, city, country, population, km, score and the three largest reasons.
    public func table(_ set: ProfileSet) -> String {
        let q = set.profiles[query], list = self
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

    /// One row per candidate: rank, id, name, country, population, distance_km, score, a column per term,
    /// shared_themes (`;`-separated).
    public func csv(_ set: ProfileSet) -> String {
        let groups = results.first?.contributions.map(\.name) ?? FeatureGroup.allCases.map(\.rawValue)
        var out = (["rank", "id", "name", "country", "population", "distance_km", "score"] + groups + ["shared_themes"]).joined(separator: ",") + "\n"
        for r in results {
            let c = set.profiles[r.row]
            let cells = [String(r.rank), c.id, c.name, c.country, String(Int(c.population)), String(format: "%.1f", r.distanceKm), JSON.number(r6(r.score))]
                + r.contributions.map { JSON.number(r6($0.value)) } + [r.sharedThemes.joined(separator: ";")]
            out += cells.map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }
}

extension Recommendation {
    /// rank, id, name, country, population, distance_km, score and its contributions (they add up to it),
    /// shared_themes.
    public func json(_ set: ProfileSet) -> JSON {
        let c = set.profiles[row]
        return .object([
            ("rank", .int(rank)), ("id", .string(c.id)), ("name", .string(c.name)), ("country", .string(c.country)),
            ("population", .int(Int(c.population))), ("distance_km", .number((distanceKm * 10).rounded() / 10)),
            ("score", .number(r6(score))),
            ("contributions", .object(contributions.map { ($0.name, .number(r6($0.value))) })),
            ("shared_themes", .array(sharedThemes.map(JSON.string))),
        ])
    }
}

extension Explanation {
    /// The pair, its score and contributions, distance, whether they are partners, shared and
    /// complementary themes, shared networks and languages, and the suggested topics with their reasons.
    public func json(_ set: ProfileSet) -> JSON {
        let pa = set.profiles[a], pb = set.profiles[b]
        func city(_ p: CityProfile) -> JSON { .object([("id", .string(p.id)), ("name", .string(p.name)), ("country", .string(p.country))]) }
        return .object([
            ("a", city(pa)), ("b", city(pb)),
            ("score", .number(r6(score))),
            ("contributions", .object(contributions.map { ($0.name, .number(r6($0.value))) })),
            ("distance_km", .number((distanceKm * 10).rounded() / 10)),
            ("existing_partnership", .bool(existingPartnership)),
            ("shared_themes", .array(sharedThemes.map(JSON.string))),
            ("complementary_themes", .array(complementary.map {
                .object([("theme", .string($0.theme)), ("offered_by", .string(set.profiles.id($0.offeredBy))), ("sought_by", .string(set.profiles.id($0.soughtBy)))])
            })),
            ("shared_networks", .array(sharedNetworks.map(JSON.string))),
            ("shared_languages", .array(sharedLanguages.map(JSON.string))),
            ("suggested_topics", .array(suggestions.map { .object([("topic", .string($0.topic)), ("reason", .string($0.reason))]) })),
        ])
    }

    /// The pair, its terms with their meanings, what the two share and the suggested topics, as text.
    public func table(_ set: ProfileSet) -> String {
        let pa = set.profiles[a], pb = set.profiles[b], e = self
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

    /// `term,value` rows: the score, then each contribution.
    public var csv: String {
        var out = "term,value\n"
        out += "score,\(JSON.number(r6(score)))\n"
        for c in contributions { out += "\(csvField(c.name)),\(JSON.number(r6(c.value)))\n" }
        return out
    }
}
