import Foundation

// The JSON, CSV and text forms of shortlists, shared by the command-line tool and a server.

/// The version of the JSON that `recommend`, `explain` and `partners` write (`schema_version`). 2: the
/// 0–100 score with its reasons by family, the raw score and terms (`raw_score`, `terms`), coordinates,
/// region and networks; the unversioned output before it is 1.
public let outputSchemaVersion = 2

/// A ranked list for one query with every score in plain words, and why it is empty when it is.
public struct Shortlist: Sendable {
    public let list: RecommendationList
    /// One per result, in rank order.
    public let reasons: [Reasons]
    public let scale: ScoreScale
    /// For an empty list: the filters that emptied it, each with the candidates it alone lets through.
    public let notice: String?
    /// Per result (or empty): a word on a candidate whose data is thin or that says it is not looking for
    /// partners (`Corpus.candidateNote`).
    public let notes: [String?]

    public init(list: RecommendationList, reasons: [Reasons], scale: ScoreScale, notice: String?, notes: [String?] = []) {
        precondition(reasons.count == list.results.count, "one reasons per result")
        self.list = list
        self.reasons = reasons
        self.scale = scale
        self.notice = notice
        self.notes = notes.count == list.results.count ? notes : Array(repeating: nil, count: list.results.count)
    }

    /// `{"schema_version", "query", "scale", ["notice"], "results": [...]}`, each result as in `resultJSON`.
    public func json(_ set: ProfileSet) -> JSON {
        var fields: [(String, JSON)] = [
            ("schema_version", .int(outputSchemaVersion)),
            ("query", placeJSON(set, list.query)),
            ("scale", .string(scale.summary)),
        ]
        if let notice { fields.append(("notice", .string(notice))) }
        fields.append(("results", .array(list.results.indices.map { i in
            guard case .object(let r) = resultJSON(set, list.results[i], reasons[i]) else { return .null }
            return .object(r + [("note", notes[i].map(JSON.string) ?? .null)])
        })))
        return .object(fields)
    }

    /// rank, the place (id, name, country, region, lat, lon, population, networks), distance_km, score
    /// (0–100), baseline and reasons (their points add up to the score), raw_score and its terms, shared_themes.
    func resultJSON(_ set: ProfileSet, _ r: Recommendation, _ why: Reasons) -> JSON {
        guard case .object(let place) = placeJSON(set, r.row) else { return .null }
        return .object([("rank", .int(r.rank))] + place + [
            ("distance_km", .number((r.distanceKm * 10).rounded() / 10)),
        ] + why.jsonFields + [("shared_themes", .array(r.sharedThemes.map(JSON.string)))])
    }

    /// A text table: rank, city, country, population, km, score and the families that add most, each with
    /// its first fact; `verbose` adds the raw score and its three largest terms.
    public func table(_ set: ProfileSet, verbose: Bool = false) -> String {
        let q = set.profiles[list.query]
        var out = "Partners for \(q.name) (\(q.country), id \(q.id), population \(grouped(q.population)))\n"
        out += "score 0–100: \(scaleNote(scale)); the points of the reasons add up to it\n\n"
        guard !list.results.isEmpty else { return out + "no candidate: \(notice ?? "none passed the filters")\n" }
        let rows = zip(zip(list.results, reasons), notes).map { pair, note -> [String] in
            let (r, why) = pair
            let c = set.profiles[r.row]
            let top = why.main(3)
            var row = [String(r.rank), c.name, c.country, grouped(c.population), grouped(r.distanceKm), String(why.roundedPoints.score)]
            if verbose {
                let raw = r.contributions.sorted { $0.value > $1.value }.prefix(3).map { "\($0.name) \(fixed($0.value))" }
                row += [fixed(why.rawScore), raw.joined(separator: ", ")]
            }
            return row + [top.joined(separator: "; ") + (note.map { " — note: \($0)" } ?? "")]
        }
        var header = ["#", "city", "country", "population", "km", "score"]
        if verbose { header += ["raw", "largest raw terms"] }
        out += tableText(header + ["main reasons (points)"], rows, rightAligned: verbose ? [0, 3, 4, 5, 6] : [0, 3, 4, 5])
        return out
    }

    /// One row per candidate: the place, distance_km, score (0–100), raw_score, a `points_<family>` column
    /// per family and a `score_<term>` column per raw term, shared_themes and networks (`;`-separated).
    /// Every column name is unique (the place's `country` is never a score's). Text cells are made safe for
    /// spreadsheets unless `raw` (`csvField`).
    public func csv(_ set: ProfileSet, raw: Bool = false) -> String {
        let families = reasons.first?.families.map(\.family) ?? []
        let terms = list.results.first?.contributions.map(\.name) ?? []
        let header = ["rank", "id", "name", "country", "region", "lat", "lon", "population", "distance_km", "score", "raw_score"]
            + families.map { "points_" + $0.rawValue } + terms.map { "score_" + $0 } + ["shared_themes", "networks", "note"]
        var out = header.map { csvField($0) }.joined(separator: ",") + "\n"
        for ((r, why), note) in zip(zip(list.results, reasons), notes) {
            let c = set.profiles[r.row]
            let points = families.map { f in why.families.first { $0.family == f }?.points ?? 0 }
            let values = terms.map { t in r.contributions.first { $0.name == t }?.value ?? 0 }
            let place: [String] = [String(r.rank), c.id, c.name, c.country, c.region, JSON.number(c.latitude), JSON.number(c.longitude),
                                   String(Int(c.population)), String(format: "%.1f", r.distanceKm)]
            let scores: [String] = [JSON.number(r2(why.score)), JSON.number(r6(why.rawScore))]
            let parts: [String] = points.map { JSON.number(r2($0)) } + values.map { JSON.number(r6($0)) }
            let cells = place + scores + parts + [r.sharedThemes.joined(separator: ";"), c.networks.joined(separator: ";"), note ?? ""]
            out += cells.map { csvField($0, raw: raw) }.joined(separator: ",") + "\n"
        }
        return out
    }
}

extension Reasons {
    /// The `k` families that add most points (positive ones only), each with its first fact:
    /// "partnership network +46 (both partners of Sainte-Thérèse)".
    /// `items` shortens a fact that lists things ("shared themes: a, b, c, d") to its first few.
    public func main(_ k: Int, items: Int? = nil) -> [String] {
        let points = roundedPoints.families
        return families.indices.filter { points[$0] > 0 }.sorted { (points[$0], $1) > (points[$1], $0) }.prefix(k).map { i in
            let fact = families[i].facts.first.map { first in items.map { abridged(first, items: $0) } ?? first }
            return "\(families[i].family.label) +\(points[i])" + (fact.map { " (\($0))" } ?? "")
        }
    }

    /// score, baseline, reasons [{family, label, points, facts}], raw_score and terms {name: value}.
    var jsonFields: [(String, JSON)] {
        [
            ("score", .number(r2(score))),
            ("baseline", .number(r2(baseline))),
            ("reasons", .array(families.map { f in
                .object([("family", .string(f.family.rawValue)), ("label", .string(f.family.label)), ("points", .number(r2(f.points))),
                         ("facts", .array(f.facts.map(JSON.string)))])
            })),
            ("raw_score", .number(r6(rawScore))),
            ("terms", .object(terms.map { ($0.name, .number(r6($0.value))) })),
        ]
    }
}

/// "shared themes: a, b, c and 2 more" for "shared themes: a, b, c, d, e" with `items` 3.
func abridged(_ fact: String, items: Int) -> String {
    guard let colon = fact.range(of: ": ") else { return fact }
    let list = fact[colon.upperBound...].components(separatedBy: ", ")
    guard list.count > items else { return fact }
    return fact[..<colon.upperBound] + list.prefix(items).joined(separator: ", ") + " and \(list.count - items) more"
}

/// id, name, country, region, lat, lon, population and networks (display names) of a row.
public func placeJSON(_ set: ProfileSet, _ row: Int) -> JSON {
    let p = set.profiles[row]
    return .object([
        ("id", .string(p.id)), ("name", .string(p.name)), ("country", .string(p.country)), ("region", .string(p.region)),
        ("lat", .number(p.latitude)), ("lon", .number(p.longitude)), ("population", .int(Int(p.population))),
        ("networks", .array(p.networks.map { .string(networkName($0)) })),
    ])
}

/// What a scale's numbers mean, in a line.
func scaleNote(_ scale: ScoreScale) -> String {
    switch scale.form {
    case .linear: return "100 × the weighted similarity, 100 for a pair alike on every group"
    case .logistic: return "50 is as strong as a typical city's best candidate, 75 a strong one"
    }
}

/// Rounds to 2 decimals (points on the 0–100 scale).
func r2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
