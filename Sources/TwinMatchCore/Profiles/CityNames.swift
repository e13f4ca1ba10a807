import Foundation

/// A city found by name or id, and a note when a name was taken to mean the largest of several places.
public struct ResolvedCity: Sendable, Equatable {
    public let row: Int
    /// Set when the name is shared and the largest place was taken (a person should hear about it).
    public let note: String?
}

extension ProfileSet {
    /// Finds a city by id, or by name within an optional country.
    ///
    /// A name that belongs to one city and a few villages at least 10× smaller means the city; otherwise a
    /// shared name is `CityLookupError.ambiguous` (the ten largest listed) and an unknown one
    /// `.unknownName` with the five closest names.
    public func resolve(name: String?, country: String? = nil, id: String? = nil) throws -> ResolvedCity {
        if let id {
            guard let row = row(ofId: id) else { throw CityLookupError.unknownId(id) }
            return ResolvedCity(row: row, note: nil)
        }
        guard let name else { throw CityLookupError.missing }
        let rows = rows(named: name, country: country).sorted {
            profiles.population($0) != profiles.population($1) ? profiles.population($0) > profiles.population($1) : profiles.id($0) < profiles.id($1)
        }
        if rows.count == 1 { return ResolvedCity(row: rows[0], note: nil) }
        if rows.count > 1, profiles.population(rows[0]) >= 10 * max(1, profiles.population(rows[1])) {
            let p = match(rows[0])
            return ResolvedCity(row: rows[0], note: "'\(name)' taken as \(p.name) (\(p.country)), id \(p.id), the largest of \(rows.count) places of that name; use --country or --id for another")
        }
        if rows.isEmpty {
            throw CityLookupError.unknownName(name, country: country, closest: closestRows(to: name, country: country).map(match))
        }
        throw CityLookupError.ambiguous(name, matches: rows.prefix(10).map(match))
    }

    /// Finds a city written as an id, `NAME,ISO2` (e.g. `Frankfurt,DE`) or a name.
    public func resolve(_ text: String) throws -> ResolvedCity {
        if row(ofId: text) != nil { return try resolve(name: nil, id: text) }
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2, parts[1].count == 2 { return try resolve(name: parts[0], country: parts[1]) }
        return try resolve(name: text)
    }

    /// The place of `row` as errors list it.
    public func match(_ row: Int) -> CityMatch {
        CityMatch(id: profiles.id(row), name: profiles.name(row), country: profiles.country(row), population: profiles.population(row))
    }

    /// Rows whose name matches `name` (case- and accent-insensitive), optionally within `country`.
    public func rows(named name: String, country: String? = nil) -> [Int] {
        let key = foldName(name), code = country?.uppercased()
        return profiles.indices.filter { row in
            (code == nil || profiles.country(row) == code) && foldName(profiles.name(row)) == key
        }
    }

    /// Up to `count` rows whose names are closest to `name`, most populous first among equals.
    public func closestRows(to name: String, country: String? = nil, count: Int = 5) -> [Int] {
        let key = foldName(name), code = country?.uppercased()
        var scored: [(row: Int, distance: Int)] = []
        for row in profiles.indices where code == nil || profiles.country(row) == code {
            let folded = foldName(profiles.name(row))
            var d = editDistance(key, folded)
            if folded.hasPrefix(key) || key.hasPrefix(folded) { d = min(d, 1) }
            scored.append((row, d))
        }
        scored.sort {
            $0.distance != $1.distance ? $0.distance < $1.distance
                : profiles.population($0.row) != profiles.population($1.row) ? profiles.population($0.row) > profiles.population($1.row)
                : idPrecedes(profiles.id($0.row), profiles.id($1.row))
        }
        return scored.prefix(count).map(\.row)
    }
}

/// Case- and diacritic-insensitive form of a place name.
public func foldName(_ s: String) -> String {
    s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        .trimmingCharacters(in: .whitespaces)
}
