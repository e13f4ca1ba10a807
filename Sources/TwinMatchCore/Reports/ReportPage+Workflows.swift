import Foundation

extension ReportPage {
    /// The page of a consortium: the lead and its members on a map, the members with why each is in, and
    /// what the group shares.
    public static func consortium(_ c: Consortium, set: ProfileSet, outlines: CountryOutlines, asked: [(label: String, value: String)]) -> ReportPage {
        let list = set.profiles
        var page = ReportPage(title: "A consortium for \(list.name(c.lead))", subtitle: placeLine(list, c.lead))
        page.addFacts(asked, heading: "What was asked")
        let points = c.members.enumerated().map { i, m in
            MapPoint.place(list, m.row, label: String(i + 1),
                           title: "\(i + 1). \(list.name(m.row)) (\(countryName(list.country(m.row)))), population \(grouped(list.population(m.row)))")
        }
        page.addMap(query: .place(list, c.lead), points: points, outlines: outlines, heading: "Map")
        let rows = c.members.enumerated().map { i, m -> [String] in
            [String(i + 1), list.name(m.row), "\(countryName(list.country(m.row))) (\(list.country(m.row)))", grouped(list.population(m.row)),
             m.band.rawValue, grouped(m.distanceKm), String(m.reasons.roundedPoints.score), String(Int(m.standing.rounded())), String(Int(m.cohesion.rounded())),
             (m.reasons.strongest.prefix(2).map { "\($0.family.label): \($0.facts.first ?? "")" } + m.adds).joined(separator: "; ")]
        }
        page.addTable(heading: "Members", columns: ["#", "city", "country", "population", "size", "km", "score", "standing", "fit with the group", "why in"],
                      rows: rows, numericColumns: [0, 3, 5, 6, 7, 8],
                      caption: "score: the lead's 0–100 score of the member; standing: where the lead ranks it in the pool (0–100); fit with the group: its mean fit with the other members (0–100)")
        let s = c.summary
        func counts(_ items: [ConsortiumSummary.Count]) -> String { items.map { "\($0.key) (\($0.rows.count))" }.joined(separator: ", ") }
        var lines = ["Countries: " + counts(s.countries), "Sizes: " + counts(s.bands)]
        lines.append("Themes at least half of the group holds: " + (s.sharedThemes.isEmpty ? "none" : counts(s.sharedThemes)))
        lines.append("Complementary know-how: " + (s.complementary.isEmpty ? "none" : s.complementary.map { x in
            "\(x.theme), offered by \(x.offeredBy.map(list.name).joined(separator: ", ")) and sought by \(x.soughtBy.map(list.name).joined(separator: ", "))"
        }.joined(separator: "; ")))
        lines.append("Networks in common: " + (s.networks.isEmpty ? "none" : s.networks.map { "\(networkName($0.key)) (\($0.rows.count))" }.joined(separator: ", ")))
        page.addSection(heading: "What the group shares", paragraphs: lines)
        return page
    }

    /// The page of a revival: the city and its partners on a map, each partnership with what the pair
    /// shares now and its agenda, and those that no longer fit with why.
    public static func revival(_ r: Revival, set: ProfileSet, outlines: CountryOutlines, asked: [(label: String, value: String)]) -> ReportPage {
        let list = set.profiles
        var page = ReportPage(title: "Reviving the partnerships of \(list.name(r.city))", subtitle: placeLine(list, r.city))
        page.addFacts(asked, heading: "What was asked")
        let all = r.fitting + r.noLongerFitting
        let points = all.enumerated().map { i, p in
            MapPoint.place(list, p.partner, label: String(i + 1), title: "\(i + 1). \(list.name(p.partner)) (\(countryName(list.country(p.partner))))")
        }
        page.addMap(query: .place(list, r.city), points: points, outlines: outlines, heading: "Map")
        if let notice = r.notice { page.addSection(heading: "No partnership", paragraphs: [notice]) }
        for (i, p) in all.enumerated() {
            var lines = ["Score now: \(p.explanation.reasons.roundedPoints.score) of 100 (\(scaleNote(r.scale)))."]
            if let why = p.noLongerFits { lines.append("No longer fits: \(why).") }
            if !p.modernTopics.isEmpty { lines.append("Modern topics both work on: " + p.modernTopics.joined(separator: ", ")) }
            if !p.otherThemes.isEmpty { lines.append("Other shared themes: " + p.otherThemes.joined(separator: ", ")) }
            for x in p.explanation.complementary {
                lines.append("\(list.name(x.offeredBy)) offers \(x.theme), which \(list.name(x.soughtBy)) seeks")
            }
            if !p.networks.isEmpty { lines.append("Networks both belong to: " + p.networks.joined(separator: "; ")) }
            lines += p.migration
            if !p.languages.isEmpty { lines.append("Both speak " + p.languages.map(languageName).joined(separator: ", ")) }
            lines += p.agenda.enumerated().map { "Agenda \($0.offset + 1). \($0.element.topic): \($0.element.reason)" }
            page.addSection(heading: "\(i + 1). \(list.name(p.partner)), \(countryName(list.country(p.partner)))", paragraphs: lines)
        }
        return page
    }
}
