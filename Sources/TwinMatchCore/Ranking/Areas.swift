import Foundation

/// Where candidates may lie beyond single countries: first-level regions (GeoNames admin1, by name or code)
/// and groups of countries (the EU, the Council of Europe, the Alpine Convention…), read from the shipped
/// tables `datasets/reference/regions.csv` and `country_groups.csv`. An area is a set of keys: `IT` for a
/// whole country, `IT/12` for one of its regions.
public struct Areas: Sendable {
    public struct Region: Sendable, Equatable {
        public let country: String
        public let code: String
        public let name: String
        public var key: String { "\(country)/\(code)" }
    }
    public struct Group: Sendable, Equatable {
        public let slug: String
        public let name: String
        /// Country codes and `CC/code` region keys.
        public let members: Set<String>
        public let source: String
    }

    public let regions: [Region]
    public let groups: [Group]

    public init(regions: [Region], groups: [Group]) {
        self.regions = regions
        self.groups = groups
    }

    /// Reads `regions.csv` (country, code, name) and `country_groups.csv` (group, name, member: `;`-separated
    /// codes, source) from `directory`.
    public static func read(directory: String) throws -> Areas {
        let regenerate = "regenerate datasets/reference with scripts/extract_regions.py (regions) or restore country_groups.csv"
        let r = try CSVTable(path: directory + "/regions.csv", regenerate: regenerate)
        try r.require(["country", "code", "name"])
        let regions = r.records.map { Region(country: r.value($0, "country").uppercased(), code: r.value($0, "code"), name: r.value($0, "name")) }
        let g = try CSVTable(path: directory + "/country_groups.csv", regenerate: regenerate)
        try g.require(["group", "name", "member", "source"])
        let groups = try g.records.map { rec -> Group in
            let members = g.value(rec, "member").split(separator: ";").map { trimSpaces(String($0)).uppercased() }
            for m in members where Countries.named(String(m.prefix(2))) == nil || !(m.count == 2 || m.dropFirst(2).hasPrefix("/")) {
                throw InputError(file: g.path, line: rec.line, field: "member", "'\(m)' is not a country code or CC/region")
            }
            return Group(slug: g.value(rec, "group"), name: g.value(rec, "name"), members: Set(members), source: g.value(rec, "source"))
        }
        return Areas(regions: regions, groups: groups)
    }

    /// The members of the groups named by `slugs`, as one set; an unknown slug is an `OptionError`.
    public func groupMembers(_ slugs: [String]) throws -> Set<String> {
        var out = Set<String>()
        for s in slugs {
            guard let g = groups.first(where: { $0.slug == s.lowercased() }) else {
                throw OptionError("--candidate-group", "unknown country group '\(s)'; known: \(groups.map(\.slug).joined(separator: ", "))")
            }
            out.formUnion(g.members)
        }
        return out
    }

    /// The region keys `text` names: `IT/12` (or `IT-12`, `IT:12`), a name as people write it ("Piedmont",
    /// "Rhone-Alpes"), or `NAME,CC`. A name in several countries names them all unless `,CC` says which;
    /// an unknown one is an `OptionError` listing the closest names.
    public func regionKeys(_ text: String) throws -> Set<String> {
        let t = trimSpaces(text)
        for sep in ["/", "-", ":"] {
            let parts = t.split(separator: Character(sep), maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0].count == 2, Countries.named(parts[0].uppercased()) != nil,
               let r = regions.first(where: { $0.country == parts[0].uppercased() && $0.code.lowercased() == parts[1].lowercased() }) {
                return [r.key]
            }
        }
        var name = t, country: String?
        if let comma = t.lastIndex(of: ","), t.distance(from: comma, to: t.endIndex) == 3 {
            name = String(t[..<comma])
            country = t[t.index(after: comma)...].uppercased()
        }
        let key = foldName(name)
        let pool = regions.filter { country == nil || $0.country == country }
        let exact = pool.filter { foldName($0.name) == key }
        if !exact.isEmpty { return Set(exact.map(\.key)) }
        let prefixed = pool.filter { foldName($0.name).hasPrefix(key) }
        if !key.isEmpty && !prefixed.isEmpty && Set(prefixed.map(\.name)).count == 1 { return Set(prefixed.map(\.key)) }
        let closest = pool.map { ($0, editDistance(key, foldName($0.name))) }.sorted { ($0.1, $0.0.key) < ($1.1, $1.0.key) }
            .prefix(5).map { "\($0.0.name) (\($0.0.key))" }
        throw OptionError("--candidate-region", "unknown region '\(text)'; closest: \(closest.joined(separator: ", "))")
    }

    /// The name of a region key, if known.
    public func regionName(country: String, code: String) -> String? {
        regions.first { $0.country == country && $0.code == code }?.name
    }
}

extension CandidateFilter {
    /// Whether row `c` lies in `keys` (its country, or its `CC/region`).
    static func lies(_ c: Int, in keys: Set<String>, _ list: ProfileList) -> Bool {
        let country = list.country(c)
        return keys.contains(country) || keys.contains(country + "/" + list.region(c))
    }
}
