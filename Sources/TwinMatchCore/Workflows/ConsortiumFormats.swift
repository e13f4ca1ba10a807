import Foundation

// The JSON, CSV and text forms of a consortium, shared by the command-line tool and a server.

extension Consortium {
    /// Σ where the lead ranks the members, and μ × Σ their mean fits with the rest: the objective's parts.
    public var objectiveParts: (lead: Double, cohesion: Double) {
        (members.reduce(0) { $0 + $1.standing }, request.cohesion * members.reduce(0) { $0 + $1.cohesion })
    }

    /// `{"schema_version", "lead", "rules", "pool_count", "scale", "objective", "members": […], "summary"}`.
    public func json(_ set: ProfileSet) -> JSON {
        let r = request.rules, parts = objectiveParts
        return .object([
            ("schema_version", .int(outputSchemaVersion)),
            ("lead", placeJSON(set, lead)),
            ("rules", .object([
                ("size", .int(r.size)), ("min_countries", .int(r.minCountries)), ("max_per_country", .int(r.maxPerCountry)),
                ("mixed_sizes", .bool(r.mixedSizes)), ("themes", .array(request.filter.requiredThemes.map(JSON.string))),
                ("cohesion", .number(request.cohesion)), ("pool_size", .int(request.poolSize)), ("worldwide", .bool(request.worldwide)),
            ])),
            ("pool_count", .int(poolCount)),
            ("scale", .string(scale.summary)),
            ("objective", .number(r2(objective))),
            ("objective_lead", .number(r2(parts.lead))),
            ("objective_cohesion", .number(r2(parts.cohesion))),
            ("members", .array(members.enumerated().map { i, m in
                guard case .object(let place) = placeJSON(set, m.row) else { return .null }
                return .object([("rank", .int(i + 1))] + place + [
                    ("distance_km", .number((m.distanceKm * 10).rounded() / 10)),
                    ("size_band", .string(m.band.rawValue)),
                    ("standing", .number(r2(m.standing))),
                    ("cohesion", .number(r2(m.cohesion))),
                ] + m.reasons.jsonFields + [("adds", .array(m.adds.map(JSON.string)))])
            })),
            ("summary", summary.json(set)),
        ])
    }

    /// The members as a table (city, country, size, population, km, score for the lead, mean fit with
    /// the rest, why in), then what the group has in common.
    public func table(_ set: ProfileSet) -> String {
        let list = set.profiles, q = list[lead], r = request.rules, parts = objectiveParts
        var out = "Consortium for \(q.name) (\(q.country), id \(q.id), population \(grouped(q.population))): \(count(r.size, "member")),"
        out += " \(group.count) cities in \(summary.countries.count == 1 ? "1 country" : "\(summary.countries.count) countries")\n"
        out += "rules: \(r.described)\(request.filter.requiredThemes.isEmpty ? "" : ", every member with theme " + listed(request.filter.requiredThemes));"
        out += " chosen from \(q.name)'s \(count(poolCount, "best candidate")) under the filters\n"
        out += "objective \(fixed(objective, 1)) = where the lead ranks the members in the pool (\(fixed(parts.lead, 1))) + \(JSON.number(request.cohesion)) × where they rank each other (\(fixed(parts.cohesion, 1)))\n"
        out += "for lead: the lead's score, 0–100 (\(scaleNote(scale))); with rest: where the other members rank it in the pool and it ranks them, 0–100 on average\n\n"
        let rows = members.enumerated().map { i, m -> [String] in
            let c = list[m.row]
            return [String(i + 1), c.name, c.country, m.band.rawValue, grouped(c.population), grouped(m.distanceKm),
                    String(m.reasons.roundedPoints.score), String(Int(m.cohesion.rounded())), (m.reasons.main(2, items: 3) + m.adds).joined(separator: "; ")]
        }
        out += tableText(["#", "city", "country", "size", "population", "km", "for lead", "with rest", "why in"], rows, rightAligned: [0, 4, 5, 6, 7])
        return out + "\n" + summary.text(set, lead: lead)
    }

    /// One row per member: rank, the place, distance_km, size_band, score (for the lead), cohesion, raw_score,
    /// the main reasons and what it adds (`;`-separated).
    public func csv(_ set: ProfileSet, raw: Bool = false) -> String {
        var out = "rank,id,name,country,region,lat,lon,population,distance_km,size_band,score,standing,cohesion,raw_score,main_reasons,adds\n"
        for (i, m) in members.enumerated() {
            let c = set.profiles[m.row]
            let cells = [String(i + 1), c.id, c.name, c.country, c.region, JSON.number(c.latitude), JSON.number(c.longitude), String(Int(c.population)),
                         String(format: "%.1f", m.distanceKm), m.band.rawValue, JSON.number(r2(m.reasons.score)), JSON.number(r2(m.standing)), JSON.number(r2(m.cohesion)),
                         JSON.number(r6(m.reasons.rawScore)), m.reasons.main(3).joined(separator: ";"), m.adds.joined(separator: ";")]
            out += cells.map { csvField($0, raw: raw) }.joined(separator: ",") + "\n"
        }
        return out
    }
}

extension ConsortiumSummary {
    func json(_ set: ProfileSet) -> JSON {
        func cities(_ rows: [Int]) -> JSON { .array(rows.map { cityRef(set, $0) }) }
        func counts(_ name: String, _ list: [Count]) -> JSON {
            .array(list.map { .object([(name, .string($0.key)), ("cities", cities($0.rows))]) })
        }
        return .object([
            ("countries", counts("country", countries)),
            ("size_bands", counts("band", bands)),
            ("shared_themes", counts("theme", sharedThemes)),
            ("complementary_themes", .array(complementary.map {
                .object([("theme", .string($0.theme)), ("offered_by", cities($0.offeredBy)), ("sought_by", cities($0.soughtBy))])
            })),
            ("networks", .array(networks.map {
                .object([("network", .string($0.key)), ("name", .string(networkLabel($0, set))), ("cities", cities($0.rows))])
            })),
            ("partnerships_within", .array(partnerships.map { .array([cityRef(set, $0.0), cityRef(set, $0.1)]) })),
        ])
    }

    /// How many networks in common and shared themes a table lists (the most held first; JSON has all).
    static let networksShown = 6
    static let themesShown = 8

    /// The network's name as its extracts write it, with each holder's year where known.
    func networkLabel(_ n: Count, _ set: ProfileSet) -> String { PairFacts.network(n.key, of: n.rows.map { set.profiles[$0] }) }

    /// The summary as indented lines, under a heading naming the group.
    func text(_ set: ProfileSet, lead: Int) -> String {
        let list = set.profiles
        let group = countries.flatMap(\.rows)
        func name(_ row: Int) -> String { distinctName(row, among: group, list) }
        func names(_ rows: [Int]) -> String { rows.map(name).joined(separator: ", ") }
        let total = countries.reduce(0) { $0 + $1.rows.count }
        var out = "the group (\(list.name(lead)) and its \(count(total - 1, "member"))):\n"
        out += "  countries: " + countries.map { "\($0.key) \($0.rows.count) (\(names($0.rows)))" }.joined(separator: "; ") + "\n"
        out += "  sizes: " + bands.map { "\($0.key) \($0.rows.count) (\(names($0.rows)))" }.joined(separator: "; ") + "\n"
        let half = (total + 1) / 2
        let themes = sharedThemes.prefix(Self.themesShown).map { "\($0.key) \($0.rows.count)" }
        let moreThemes = sharedThemes.count > themes.count ? " and \(sharedThemes.count - themes.count) more" : ""
        out += "  themes at least \(half) of the \(total) hold: " + (sharedThemes.isEmpty ? "none" : themes.joined(separator: ", ") + moreThemes) + "\n"
        out += "  complementary: " + (complementary.isEmpty ? "none" : complementary.map {
            "\($0.theme) (\(listed($0.offeredBy.map(name))) \($0.offeredBy.count == 1 ? "offers" : "offer"), \(listed($0.soughtBy.map(name))) \($0.soughtBy.count == 1 ? "seeks" : "seek"))"
        }.joined(separator: "; ")) + "\n"
        let shown = networks.prefix(Self.networksShown).map { "\(networkLabel($0, set)): \(names($0.rows))" }
        let more = networks.count > shown.count ? "; and \(networks.count - shown.count) more (JSON lists them)" : ""
        out += "  networks in common: " + (networks.isEmpty ? "none" : shown.joined(separator: "; ") + more) + "\n"
        if !partnerships.isEmpty {
            out += "  already twinned within the group: " + partnerships.map { "\(name($0.0)) – \(name($0.1))" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}

/// `{"id", "name"}` of a row.
func cityRef(_ set: ProfileSet, _ row: Int) -> JSON {
    .object([("id", .string(set.profiles.id(row))), ("name", .string(set.profiles.name(row)))])
}
