import Foundation

// The JSON, CSV and text forms of a revival, shared by the command-line tool and a server.

extension Revival.Partnership {
    /// "youth; circular-economy (Idrija → Leoben)": the complementary offers, each with who offers whom.
    func complementaryText(_ set: ProfileSet) -> [String] {
        explanation.complementary.map { "\($0.theme) (\(set.profiles.name($0.offeredBy)) → \(set.profiles.name($0.soughtBy)))" }
    }

    /// The partners both have, by name.
    func commonPartnerNames(_ set: ProfileSet) -> [String] { explanation.commonPartners.map(set.profiles.name) }

    /// What the pair shares now, labelled, the empty ones left out.
    func shared(_ set: ProfileSet) -> [(label: String, items: [String])] {
        [("other shared themes", otherThemes), ("complementary offers", complementaryText(set)), ("networks both belong to", networks),
                ("migration links", migration), ("languages both speak", languages.map(languageName)),
                ("partners in common", commonPartnerNames(set))].filter { !$0.1.isEmpty }
    }
}

extension Revival {
    /// `{"schema_version", "query", "scale", ["notice"], "partnerships": [{rank, place…, distance_km, sources,
    /// score, baseline, reasons, raw_score, terms, modern_topics, shared_themes, complementary_themes,
    /// networks, migration_links, shared_languages, common_partners, to_work_on, agenda, no_longer_fits}]}`.
    public func json(_ set: ProfileSet) -> JSON {
        var fields: [(String, JSON)] = [
            ("schema_version", .int(outputSchemaVersion)),
            ("query", placeJSON(set, city)),
            ("scale", .string(scale.summary)),
        ]
        if let notice { fields.append(("notice", .string(notice))) }
        fields.append(("partnerships", .array(partnerships.enumerated().map { i, p in
            guard case .object(let place) = placeJSON(set, p.partner) else { return .null }
            let e = p.explanation
            func strings(_ items: [String]) -> JSON { .array(items.map(JSON.string)) }
            return .object([("rank", .int(i + 1))] + place + [
                ("distance_km", .number((e.distanceKm * 10).rounded() / 10)),
                ("sources", strings(p.sources)),
            ] + e.reasons.jsonFields + [
                ("modern_topics", strings(p.modernTopics)),
                ("shared_themes", strings(e.sharedThemes)),
                ("complementary_themes", .array(e.complementary.map {
                    .object([("theme", .string($0.theme)), ("offered_by", cityRef(set, $0.offeredBy)), ("sought_by", cityRef(set, $0.soughtBy))])
                })),
                ("networks", strings(p.networks)),
                ("migration_links", strings(p.migration)),
                ("shared_languages", strings(p.languages)),
                ("common_partners", .array(e.commonPartners.map { cityRef(set, $0) })),
                ("to_work_on", .int(p.toWorkOn)),
                ("agenda", .array(p.agenda.map { .object([("topic", .string($0.topic)), ("reason", .string($0.reason))]) })),
                ("no_longer_fits", p.noLongerFits.map(JSON.string) ?? .null),
            ])
        })))
        return .object(fields)
    }

    /// A summary table of the partnerships, then each one that fits with what the pair shares now, its
    /// main reasons and agenda, then the ones that no longer fit with why.
    public func table(_ set: ProfileSet) -> String {
        let list = set.profiles, q = list[city]
        var out = "Partnerships of \(q.name) (\(q.country), id \(q.id), population \(grouped(q.population))): \(partnerships.count) known"
        guard !partnerships.isEmpty else { return out + "\n\nnone to revive: \(notice ?? "no known partner")\n" }
        out += "; \(fitting.count) with something to work on, \(noLongerFitting.count) no longer \(noLongerFitting.count == 1 ? "fits" : "fit")\n"
        out += "ordered by how much each pair shares now (a modern topic both work on or a complementary offer counts 2, any other shared item 1)\n"
        out += "score 0–100: \(scaleNote(scale)); an existing partnership's score includes its own partnership network\n\n"
        let rows = partnerships.enumerated().map { i, p -> [String] in
            let c = list[p.partner]
            return [String(i + 1), c.name, c.country, grouped(c.population), grouped(p.explanation.distanceKm), String(p.explanation.reasons.roundedPoints.score),
                    p.noLongerFits == nil ? String(p.toWorkOn) : "no longer fits",
                    p.modernTopics.isEmpty ? "none" : p.modernTopics.joined(separator: ", ")]
        }
        out += tableText(["#", "partner", "country", "population", "km", "score", "to work on", "modern topics both work on"], rows, rightAligned: [0, 3, 4, 5, 6])
        for (i, p) in partnerships.enumerated() where p.noLongerFits == nil {
            let c = list[p.partner]
            out += "\n\(i + 1). \(q.name) – \(c.name) (\(c.country)): score \(p.explanation.reasons.roundedPoints.score) now\n"
            let main = p.explanation.reasons.main(3)
            out += "   main reasons: \(main.isEmpty ? "none: no family of reasons adds a point" : main.joined(separator: "; "))\n"
            out += "   modern topics both work on: \(p.modernTopics.isEmpty ? "none" : p.modernTopics.joined(separator: ", "))\n"
            for s in p.shared(set) { out += "   \(s.label): \(s.items.joined(separator: "; "))\n" }
            out += "   agenda:\n"
            for (k, s) in p.agenda.enumerated() { out += "     \(k + 1). \(s.topic): \(s.reason)\n" }
        }
        let gone = noLongerFitting
        if !gone.isEmpty {
            out += "\nno longer fit:\n"
            for p in gone {
                let c = list[p.partner]
                out += "  \(c.name) (\(c.country), \(grouped(p.explanation.distanceKm)) km): \(p.noLongerFits ?? "")\n"
            }
        }
        return out
    }

    /// One row per partnership, in order; lists `;`-separated.
    public func csv(_ set: ProfileSet, raw: Bool = false) -> String {
        var out = "rank,id,name,country,region,lat,lon,population,distance_km,score,raw_score,to_work_on,modern_topics,shared_themes,"
            + "complementary_themes,networks,migration_links,shared_languages,common_partners,agenda,no_longer_fits\n"
        for (i, p) in partnerships.enumerated() {
            let c = set.profiles[p.partner], e = p.explanation
            let place: [String] = [String(i + 1), c.id, c.name, c.country, c.region, JSON.number(c.latitude), JSON.number(c.longitude),
                                   String(Int(c.population)), String(format: "%.1f", e.distanceKm)]
            let scores: [String] = [JSON.number(r2(e.reasons.score)), JSON.number(r6(e.score)), String(p.toWorkOn)]
            let lists: [[String]] = [p.modernTopics, e.sharedThemes, p.complementaryText(set), p.networks, p.migration, p.languages,
                                     p.commonPartnerNames(set), p.agenda.map(\.topic)]
            let cells = place + scores + lists.map { $0.joined(separator: ";") } + [p.noLongerFits ?? ""]
            out += cells.map { csvField($0, raw: raw) }.joined(separator: ",") + "\n"
        }
        return out
    }
}
