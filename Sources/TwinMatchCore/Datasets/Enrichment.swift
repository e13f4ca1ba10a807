import Foundation

/// Joins the reference extracts (`datasets/reference/`, written by `scripts/extract_reference.py` from the
/// public tables) onto profiles by GeoNames id. Every value records its evidence in `CityProfile.sources`
/// (`themes:youth@European Youth Capital 2019`). A missing extract is an error that says how to regenerate it.
///
/// - `memberships.csv`: URBACT network partners, 58 city networks, European city titles, Intercultural
///   Cities and the Climate-Neutral Cities Mission: the row's themes (from the programme's topics) and its
///   network slug. Know-how to share (`offers`) and to learn (`seeks`) where the programme's role says so:
///   an URBACT network's lead partner offers the network's themes (in a Transfer network it is the city
///   whose good practice the others adopt), a partner of a Transfer or Action Planning network seeks them
///   (it joined to learn); a European title (Green Capital, Green Leaf, Youth Capital, Capital of Culture,
///   Capital of Sport), a Mission city and a CIVITAS demonstration city offer their programme's themes.
/// - `covenant.csv` (JRC GCoM 2024): energy-transition (commitment level: 2020 → 0.5, 2030 → 0.75,
///   2050 → 1), climate-adaptation for adaptation commitments, network `covenant-of-mayors`. Weights are
///   scaled down where signing is common (Italy, Spain) by `1 − 0.75 · prevalence` of the country. A
///   signatory with a 2050 target and a published plan offers energy-transition.
/// - `creative_cities.csv`: creative-industries (gastronomy: agriculture-food), offered, culture-heritage
///   0.5, networks `unesco-creative-cities` and `unesco-creative-<field>`.
/// - `world_heritage.csv` (nearest city within 25 km): culture-heritage (cultural), environment (natural),
///   tourism 0.5.
/// - `urban_green.csv` (Eurostat Urban Audit): environment, 0.5 plus 0.5 × the city's percentile of green
///   urban area share.
///
/// Migration links stay at country level (`CountryMigration`, from `migrant_stock.csv`): no profile gets a
/// copy of its country's figures.
public struct Enrichment {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// How to rebuild a missing or damaged extract.
    public static let regenerate = "regenerate datasets/reference with scripts/extract_reference.py"

    public static let files = ["memberships.csv", "covenant.csv", "creative_cities.csv", "world_heritage.csv", "urban_green.csv"]

    /// The places that act on their own in the extracts: partners in a public twinning or members of a
    /// network or programme. A district that twins (a Berlin borough, a Budapest district) is kept.
    public func actorIds() throws -> Set<String> {
        var ids = Set<String>()
        let pairs = try CSVTable(path: directory + "/twin_pairs.csv", regenerate: Self.regenerate)
        try pairs.require(["geonameid_a", "geonameid_b"])
        for r in pairs.records { ids.insert(pairs.value(r, "geonameid_a")); ids.insert(pairs.value(r, "geonameid_b")) }
        let members = try CSVTable(path: directory + "/memberships.csv", regenerate: Self.regenerate)
        try members.require(["geonameid"])
        for r in members.records { ids.insert(members.value(r, "geonameid")) }
        return ids
    }

    /// Applies every extract; returns one report line per extract.
    public func apply(to profiles: inout [CityProfile]) throws -> [String] {
        var rowById: [String: Int] = [:]
        for (i, p) in profiles.enumerated() { rowById[p.id] = i }
        var report: [String] = []
        let steps = [memberships, covenant, creativeCities, worldHeritage, urbanGreen]
        for (file, step) in zip(Self.files, steps) {
            let table = try CSVTable(path: directory + "/" + file, regenerate: Self.regenerate)
            let count = try step(table, &profiles, rowById)
            report.append("enrich: \(file): \(count) profiles enriched")
        }
        return report
    }

    static func addTheme(_ p: inout CityProfile, _ theme: String, _ weight: Double, evidence: String) {
        let w = min(1, max(0.05, weight))
        if let i = p.themes.firstIndex(where: { $0.key == theme }) {
            if p.themes[i].weight < w { p.themes[i].weight = w }
        } else {
            p.themes.append(Weighted(theme, w))
        }
        p.sources.append("themes:\(theme)@\(evidence)")
    }

    /// Adds know-how to share (`offers`) or to learn (`seeks`) with its evidence (`offers:youth@…`).
    static func addKnowHow(_ p: inout CityProfile, offers: Bool, _ theme: String, evidence: String) {
        guard ThemeVocabulary.themes.contains(theme) else { return }
        if offers {
            guard !p.offers.contains(theme) else { return }
            p.offers.append(theme)
        } else {
            guard !p.seeks.contains(theme) else { return }
            p.seeks.append(theme)
        }
        p.sources.append("\(offers ? "offers" : "seeks"):\(theme)@\(evidence)")
    }

    /// Whether a membership row makes its city offer (true) or seek (false) the programme's themes, or
    /// neither (nil): see the type's documentation.
    static func knowHow(kind: String, networkType: String, role: String) -> Bool? {
        switch kind {
        case "urbact":
            if role == "Lead Partner" { return true }
            return networkType == "Transfer" || networkType == "Action Planning" ? false : nil
        case "title": return true
        case "programme": return nil
        default: return role == "Demonstration City" ? true : nil
        }
    }

    static func addNetwork(_ p: inout CityProfile, _ network: String, evidence: String) {
        guard !p.networks.contains(network) else { return }
        p.networks.append(network)
        p.sources.append("networks:\(network)@\(evidence)")
    }

    /// "name year", or the name alone without a year; never a `;` (the sources separator).
    static func evidence(_ name: String, _ year: String) -> String {
        (year.isEmpty ? name : "\(name) \(year)").replacingOccurrences(of: ";", with: ",")
    }

    func memberships(_ t: CSVTable, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "network", "network_name", "year", "themes"])
        var touched = Set<Int>()
        for (row, line, r) in t.matched("geonameid", rowById) {
            let evidence = Self.evidence(t.value(r, "network_name"), t.value(r, "year"))
            let network = t.value(r, "network")
            let role = t.value(r, "role")
            let knowHow = network == "eu-climate-neutral-cities" ? true
                : Self.knowHow(kind: t.value(r, "kind"), networkType: t.value(r, "network_type"), role: role)
            let roleEvidence = role.isEmpty ? evidence : "\(evidence), \(role.lowercased())"
            for item in t.value(r, "themes").split(separator: ";") {
                let parts = item.split(separator: ":")
                guard parts.count == 2, let w = Double(parts[1]), w.isFinite, w > 0 else {
                    throw InputError(file: t.path, line: line, field: "themes", "'\(item)' is not theme:weight")
                }
                Self.addTheme(&profiles[row], String(parts[0]), w, evidence: evidence)
                if let knowHow { Self.addKnowHow(&profiles[row], offers: knowHow, String(parts[0]), evidence: roleEvidence) }
            }
            Self.addNetwork(&profiles[row], network, evidence: evidence)
            touched.insert(row)
        }
        return touched.count
    }

    func covenant(_ t: CSVTable, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "status", "commit_2030", "commit_2050", "adaptation", "year"])
        var perCountry: [String: Int] = [:], placesPerCountry: [String: Int] = [:]
        for p in profiles { placesPerCountry[p.country, default: 0] += 1 }
        let matched = t.matched("geonameid", rowById)
        for (row, _, _) in matched { perCountry[profiles[row].country, default: 0] += 1 }
        var touched = Set<Int>()
        for (row, _, r) in matched {
            let country = profiles[row].country
            let prevalence = Double(perCountry[country] ?? 0) / Double(max(1, placesPerCountry[country] ?? 1))
            let scale = 1 - 0.75 * min(1, prevalence)
            let active = t.value(r, "status") == "published" ? 1.0 : 0.5
            let target = t.value(r, "commit_2050") == "True" ? "2050" : t.value(r, "commit_2030") == "True" ? "2030" : "2020"
            let level = target == "2050" ? 1.0 : target == "2030" ? 0.75 : 0.5
            let evidence = Self.evidence("Covenant of Mayors (\(target) target)", t.value(r, "year"))
            Self.addTheme(&profiles[row], "energy-transition", level * scale * active, evidence: evidence)
            if t.value(r, "adaptation") == "True" || target != "2020" {
                Self.addTheme(&profiles[row], "climate-adaptation", 0.75 * scale * active, evidence: evidence)
            }
            if target == "2050" && active == 1 {
                Self.addKnowHow(&profiles[row], offers: true, "energy-transition", evidence: evidence + ", plan published")
            }
            Self.addNetwork(&profiles[row], "covenant-of-mayors", evidence: evidence)
            touched.insert(row)
        }
        return touched.count
    }

    func creativeCities(_ t: CSVTable, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "field", "year"])
        var touched = Set<Int>()
        for (row, _, r) in t.matched("geonameid", rowById) {
            let field = t.value(r, "field")
            let slug = ThemeVocabulary.normalise(field)
            let evidence = Self.evidence("UNESCO Creative City of \(field)", t.value(r, "year"))
            let theme = slug == "gastronomy" ? "agriculture-food" : "creative-industries"
            Self.addTheme(&profiles[row], theme, 1, evidence: evidence)
            Self.addKnowHow(&profiles[row], offers: true, theme, evidence: evidence)
            Self.addTheme(&profiles[row], "culture-heritage", 0.5, evidence: evidence)
            Self.addNetwork(&profiles[row], "unesco-creative-cities", evidence: evidence)
            if !slug.isEmpty { Self.addNetwork(&profiles[row], "unesco-creative-\(slug)", evidence: evidence) }
            touched.insert(row)
        }
        return touched.count
    }

    func worldHeritage(_ t: CSVTable, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "category", "year", "site"])
        var touched = Set<Int>()
        for (row, _, r) in t.matched("geonameid", rowById) {
            let category = t.value(r, "category")
            let evidence = Self.evidence("World Heritage: \(t.value(r, "site"))", t.value(r, "year"))
            if category != "Natural" { Self.addTheme(&profiles[row], "culture-heritage", 1, evidence: evidence) }
            if category != "Cultural" { Self.addTheme(&profiles[row], "environment", 1, evidence: evidence) }
            Self.addTheme(&profiles[row], "tourism", 0.5, evidence: evidence)
            touched.insert(row)
        }
        return touched.count
    }

    func urbanGreen(_ t: CSVTable, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "green_share", "year"])
        var green: [Int: (share: Double, year: String)] = [:]
        for (row, line, r) in t.matched("geonameid", rowById) {
            guard let v = Double(t.value(r, "green_share")), v.isFinite else {
                throw InputError(file: t.path, line: line, field: "green_share", "'\(t.value(r, "green_share"))' is not a number")
            }
            green[row] = (v, t.value(r, "year"))
        }
        let sorted = green.values.map(\.share).sorted()
        for (row, g) in green {
            let below = sorted.firstIndex(where: { $0 >= g.share }) ?? sorted.count
            let weight = sorted.count > 1 ? 0.5 + 0.5 * Double(below) / Double(sorted.count - 1) : 0.5
            let evidence = Self.evidence("Urban Audit green urban area \(r1(g.share))%", g.year)
            Self.addTheme(&profiles[row], "environment", weight, evidence: evidence)
        }
        return green.count
    }
}

extension CSVTable {
    /// The records whose GeoNames id in `column` names a profile, with that profile's row and the line.
    func matched(_ column: String, _ rowById: [String: Int]) -> [(row: Int, line: Int, record: CSVRecord)] {
        records.compactMap { r in rowById[value(r, column)].map { ($0, r.line, r) } }
    }
}
