import Foundation

extension ReportPage {
    /// A place in a line, for a subtitle: "France (FR) · region 84 · population 49,232 · id 3037543".
    public static func placeLine(_ list: ProfileList, _ row: Int) -> String {
        let code = list.country(row), region = list.region(row)
        return ["\(countryName(code)) (\(code))", region.isEmpty ? nil : "region \(region)",
                "population \(grouped(list.population(row)))", "id \(list.id(row))"].compactMap { $0 }.joined(separator: " · ")
    }

    /// The map of a shortlist: its query and its candidates numbered by rank, each tooltip with the
    /// candidate's country, population, distance and score.
    public mutating func addMap(_ shortlist: Shortlist, set: ProfileSet, outlines: CountryOutlines, heading: String? = "Map") {
        addMap(query: .place(set.profiles, shortlist.list.query), points: MapPoint.candidates(shortlist, set: set), outlines: outlines, heading: heading)
    }

    /// The shortlist as a table: per candidate its rank, place (country, population, distance), score on
    /// 0–100, and its reasons as horizontal bars of their points (largest first, bars on the score's scale),
    /// each with the facts behind it in words; the families with no points follow in a line with their
    /// facts. An empty shortlist shows its notice.
    public mutating func addShortlist(_ shortlist: Shortlist, set: ProfileSet, heading: String? = "Shortlist") {
        let intro = HTML.text("p", ["class": "note"], "Scores run from 0 to 100: \(scaleNote(shortlist.scale)). "
            + "Each bar is the points one family of reasons adds to the score (with the facts behind it); the points add up to the score.")
        guard !shortlist.list.results.isEmpty else {
            addBlock(heading: heading, intro + HTML.text("p", ["class": "notice"], "No candidate: \(shortlist.notice ?? "none passed the filters").")); return
        }
        let list = set.profiles
        let head = HTML.element("thead", HTML.element("tr", HTML.text("th", ["class": "num"], "#") + HTML.text("th", "Candidate")
            + HTML.text("th", ["class": "num"], "Score") + HTML.text("th", "Reasons: points and facts")))
        let rows = zip(shortlist.list.results, shortlist.reasons).map { r, why -> String in
            let c = r.row, rounded = why.roundedPoints
            let place = HTML.text("strong", list.name(c))
                + HTML.text("span", "\(countryName(list.country(c))) (\(list.country(c)))")
                + HTML.text("span", "population \(grouped(list.population(c)))")
                + HTML.text("span", "\(grouped(r.distanceKm)) km away")
            let meter = HTML.element("span", ["class": "meter"], HTML.element("span", ["style": "width:\(barWidth(rounded.score))%"], ""))
            let score = HTML.text("span", ["class": "score-value"], String(rounded.score)) + meter
            return HTML.element("tr", HTML.text("td", ["class": "rank num"], String(r.rank)) + HTML.element("td", ["class": "place"], place)
                + HTML.element("td", ["class": "score num"], score) + HTML.element("td", ["class": "reasons"], reasonBars(why)))
        }.joined()
        let table = HTML.element("table", ["class": "shortlist"], head + HTML.element("tbody", rows))
        addBlock(heading: heading, intro + table)
    }

    /// A family's bar: label, bar, signed points, facts.
    func reasonBars(_ why: Reasons) -> String {
        let rounded = why.roundedPoints
        let scored = why.families.indices.filter { rounded.families[$0] != 0 }
            .sorted { (abs(rounded.families[$0]), $1) > (abs(rounded.families[$1]), $0) }
        var items = scored.map { i -> String in
            let f = why.families[i], p = rounded.families[i]
            return bar(label: f.family.label, points: p, css: "fill f-\(f.family.rawValue)", facts: f.facts)
        }
        if rounded.baseline != 0 {
            items.append(bar(label: "a typical candidate", points: rounded.baseline, css: "fill baseline", facts: ["the score of a pair with no reason for or against"]))
        }
        let unscored = why.families.indices.filter { rounded.families[$0] == 0 }.map { i -> String in
            let f = why.families[i]
            return HTML.text("b", f.family.label) + (f.facts.isEmpty ? "" : " " + HTML.escape(f.facts.joined(separator: "; ")))
        }
        let list = items.isEmpty ? HTML.text("p", ["class": "also"], "No family of reasons adds a whole point.")
                                 : HTML.element("ul", ["class": "reasons"], items.joined())
        return list + (unscored.isEmpty ? "" : HTML.element("p", ["class": "also"], "No points from: " + unscored.joined(separator: ". ") + "."))
    }

    func bar(label: String, points: Int, css: String, facts: [String]) -> String {
        let fill = HTML.element("span", ["class": css + (points < 0 ? " negative" : ""), "style": "width:\(barWidth(abs(points)))%"], "")
        return HTML.element("li", HTML.text("span", ["class": "reason"], label) + HTML.element("span", ["class": "bar"], fill)
            + HTML.text("span", ["class": "points"], points > 0 ? "+\(points)" : points < 0 ? "−\(-points)" : "0")
            + (facts.isEmpty ? "" : HTML.text("span", ["class": "facts-text"], facts.joined(separator: "; "))))
    }

    /// Points as a share of the 0–100 scale, held within it.
    func barWidth(_ points: Int) -> Int { max(0, min(100, points)) }
}
