import Foundation

/// Joins public reference tables onto profiles by GeoNames id, recording the source of every value
/// (`field:value@source` in `CityProfile.sources`). A missing table is skipped with a notice.
///
/// - Covenant of Mayors (JRC GCoM 2024): energy-transition (commitment level: 2020 → 0.5, 2030 → 0.75,
///   2050 → 1), climate-adaptation for adaptation commitments, network `covenant-of-mayors`. Weights are
///   scaled down where signing is common (Italy, Spain) by `1 − 0.75 · prevalence` of the country.
/// - UNESCO Creative Cities: creative-industries (gastronomy: agriculture-food), network
///   `unesco-creative-cities` and `unesco-creative-<field>`.
/// - World Heritage sites (nearest city within 25 km): culture-heritage (cultural), environment (natural),
///   tourism 0.5.
/// - Eurostat Urban Audit: environment, 0.5 plus 0.5 × the city's percentile of green urban area share.
/// - UN DESA migrant stock 2019: every city's migration links are its country's origin mix (the ten
///   largest origins with at least 1% of the migrants), unless the profile already has links.
public struct Enrichment {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    static let gcom = "gcom_signatories.csv"
    static let creative = "unesco_creative_cities.csv"
    static let heritage = "unesco_world_heritage_sites_2019.csv"
    static let urbanAudit = "eurostat_urban_audit_env_latest.csv"
    static let migrants = "un_desa_migrant_stock_bilateral_2019rev.csv"

    /// Applies every table found; returns one report line per table.
    public func apply(to profiles: inout [CityProfile]) throws -> [String] {
        var rowById: [String: Int] = [:]
        for (i, p) in profiles.enumerated() { rowById[p.id] = i }
        var report: [String] = []
        for (file, step) in [(Self.gcom, covenant), (Self.creative, creativeCities), (Self.heritage, worldHeritage),
                             (Self.urbanAudit, urbanAuditEnvironment), (Self.migrants, migration)] {
            let path = directory + "/" + file
            guard FileManager.default.fileExists(atPath: path) else {
                report.append("enrich: \(file) not found in \(directory): skipped")
                continue
            }
            let table = try Table(path: path)
            let count = try step(table, &profiles, rowById)
            report.append("enrich: \(file): \(count) profiles enriched")
        }
        return report
    }

    /// A CSV table with named columns.
    struct Table {
        let path: String
        let columns: [String: Int]
        let records: [CSVRecord]

        init(path: String) throws {
            self.path = path
            let all = try CSVReader.read(path: path)
            guard let header = all.first else { throw InputError(file: path, "the file is empty") }
            columns = Dictionary(header.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            records = Array(all.dropFirst())
        }

        func require(_ names: [String]) throws {
            for n in names where columns[n] == nil { throw InputError(file: path, line: 1, field: n, "missing column") }
        }

        /// The records whose GeoNames id in `column` names a profile, with that profile's row.
        func matched(_ column: String, _ rowById: [String: Int]) -> [(row: Int, record: CSVRecord)] {
            records.compactMap { r in
                let raw = value(r, column)
                let id = Double(raw).flatMap { $0.isFinite && $0 == $0.rounded() ? String(Int($0)) : nil } ?? raw
                return rowById[id].map { ($0, r) }
            }
        }

        func value(_ r: CSVRecord, _ name: String) -> String {
            guard let i = columns[name], i < r.fields.count else { return "" }
            return trimSpaces(r.fields[i])
        }
    }

    static func addTheme(_ p: inout CityProfile, _ theme: String, _ weight: Double, source: String) {
        let w = min(1, max(0.05, weight))
        if let i = p.themes.firstIndex(where: { $0.key == theme }) {
            guard p.themes[i].weight < w else { return }
            p.themes[i].weight = w
        } else {
            p.themes.append(Weighted(theme, w))
        }
        p.sources.append("themes:\(theme)@\(source)")
    }

    static func addNetwork(_ p: inout CityProfile, _ network: String, source: String) {
        guard !p.networks.contains(network) else { return }
        p.networks.append(network)
        p.sources.append("networks:\(network)@\(source)")
    }

    func covenant(_ t: Table, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "country_iso2", "commit_com2020", "commit_com2030", "commit_com2050", "commit_mayors_adapt", "signatory_status"])
        var perCountry: [String: Int] = [:], placesPerCountry: [String: Int] = [:]
        for p in profiles { placesPerCountry[p.country, default: 0] += 1 }
        let matched = t.matched("geonameid", rowById)
        for (row, _) in matched { perCountry[profiles[row].country, default: 0] += 1 }
        var touched = Set<Int>()
        for (row, r) in matched {
            let country = profiles[row].country
            let prevalence = Double(perCountry[country] ?? 0) / Double(max(1, placesPerCountry[country] ?? 1))
            let scale = 1 - 0.75 * min(1, prevalence)
            let active = t.value(r, "signatory_status") == "published" ? 1.0 : 0.5
            let level = t.value(r, "commit_com2050") == "True" ? 1.0 : t.value(r, "commit_com2030") == "True" ? 0.75 : 0.5
            Self.addTheme(&profiles[row], "energy-transition", level * scale * active, source: "gcom2024")
            if t.value(r, "commit_mayors_adapt") == "True" || t.value(r, "commit_com2030") == "True" {
                Self.addTheme(&profiles[row], "climate-adaptation", 0.75 * scale * active, source: "gcom2024")
            }
            Self.addNetwork(&profiles[row], "covenant-of-mayors", source: "gcom2024")
            touched.insert(row)
        }
        return touched.count
    }

    func creativeCities(_ t: Table, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "creative_field"])
        var touched = Set<Int>()
        for (row, r) in t.matched("geonameid", rowById) {
            let field = t.value(r, "creative_field")
            let slug = ThemeVocabulary.normalise(field)
            Self.addTheme(&profiles[row], slug == "gastronomy" ? "agriculture-food" : "creative-industries", 1, source: "unesco-creative-cities")
            Self.addTheme(&profiles[row], "culture-heritage", 0.5, source: "unesco-creative-cities")
            Self.addNetwork(&profiles[row], "unesco-creative-cities", source: "unesco-creative-cities")
            if !slug.isEmpty { Self.addNetwork(&profiles[row], "unesco-creative-\(slug)", source: "unesco-creative-cities") }
            touched.insert(row)
        }
        return touched.count
    }

    func worldHeritage(_ t: Table, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["nearest_city_geonameid", "category"])
        var touched = Set<Int>()
        for (row, r) in t.matched("nearest_city_geonameid", rowById) {
            let category = t.value(r, "category")
            if category != "Natural" { Self.addTheme(&profiles[row], "culture-heritage", 1, source: "unesco-whc2019") }
            if category != "Cultural" { Self.addTheme(&profiles[row], "environment", 1, source: "unesco-whc2019") }
            Self.addTheme(&profiles[row], "tourism", 0.5, source: "unesco-whc2019")
            touched.insert(row)
        }
        return touched.count
    }

    func urbanAuditEnvironment(_ t: Table, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["geonameid", "indic_code", "value"])
        var green: [Int: Double] = [:]
        var cities = Set<Int>()
        for (row, r) in t.matched("geonameid", rowById) {
            cities.insert(row)
            if t.value(r, "indic_code") == "EN5205V", let v = Double(t.value(r, "value")), v.isFinite { green[row] = v }
        }
        let sorted = green.values.sorted()
        for row in cities {
            var weight = 0.5
            if let v = green[row], sorted.count > 1 {
                let below = sorted.firstIndex(where: { $0 >= v }) ?? sorted.count
                weight = 0.5 + 0.5 * Double(below) / Double(sorted.count - 1)
            }
            Self.addTheme(&profiles[row], "environment", weight, source: "eurostat-urban-audit")
        }
        return cities.count
    }

    func migration(_ t: Table, _ profiles: inout [CityProfile], _ rowById: [String: Int]) throws -> Int {
        try t.require(["year", "dest_iso2", "origin_iso2", "share_of_dest_migrants"])
        var latest: [String: Int] = [:]
        for r in t.records { if let y = Int(t.value(r, "year")) { latest[t.value(r, "dest_iso2")] = max(latest[t.value(r, "dest_iso2")] ?? 0, y) } }
        var mix: [String: [Weighted]] = [:]
        for r in t.records {
            let dest = t.value(r, "dest_iso2"), origin = t.value(r, "origin_iso2")
            guard Int(t.value(r, "year")) == latest[dest], Countries.named(origin) != nil, origin != dest,
                  let share = Double(t.value(r, "share_of_dest_migrants")), share.isFinite, share >= 0.01 else { continue }
            mix[dest, default: []].append(Weighted(origin, min(1, share)))
        }
        for (k, v) in mix { mix[k] = Array(v.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.key < $1.key }.prefix(10)) }
        var count = 0
        for i in profiles.indices where profiles[i].migrationLinks.isEmpty {
            guard let links = mix[profiles[i].country], !links.isEmpty else { continue }
            profiles[i].migrationLinks = links.map { Weighted($0.key, (($0.weight * 10_000).rounded() / 10_000)) }.filter { $0.weight > 0 }
            profiles[i].sources.append("migration_links@un-desa-2019")
            count += 1
        }
        return count
    }
}
