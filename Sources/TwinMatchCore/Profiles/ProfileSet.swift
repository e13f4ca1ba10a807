import Foundation

/// A warning found while loading profiles: the loader kept going.
public struct ProfileWarning: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let field: String
    public let message: String
    public var description: String { "\(file):\(line): field '\(field)': \(message)" }
}

/// A loaded, validated set of city profiles with lookup by id and by name.
public struct ProfileSet: Sendable {
    public let profiles: [CityProfile]
    public let warnings: [ProfileWarning]
    public let source: String
    private let rowById: [String: Int]
    /// For every row, its position in id order (ties between equal scores go to the smaller rank).
    public let idRank: [Int32]

    public init(profiles: [CityProfile], warnings: [ProfileWarning] = [], source: String = "") {
        self.profiles = profiles
        self.warnings = warnings
        self.source = source
        var byId: [String: Int] = [:]
        for (row, p) in profiles.enumerated() { byId[p.id] = row }
        rowById = byId
        idRank = ProfileSet.ranks(of: profiles.map(\.id))
    }

    /// The position of each id in id order (see `idPrecedes`).
    public static func ranks(of ids: [String]) -> [Int32] {
        let order = ids.indices.sorted { idPrecedes(ids[$0], ids[$1]) }
        var rank = [Int32](repeating: 0, count: ids.count)
        for (position, row) in order.enumerated() { rank[row] = Int32(position) }
        return rank
    }

    public var count: Int { profiles.count }

    public func row(ofId id: String) -> Int? { rowById[id] }

    /// Rows whose name matches `name` (case- and accent-insensitive), optionally within `country`.
    public func rows(named name: String, country: String? = nil) -> [Int] {
        let key = foldName(name)
        return profiles.indices.filter { row in
            foldName(profiles[row].name) == key && (country == nil || profiles[row].country == country!.uppercased())
        }
    }

    /// Up to `count` rows whose names are closest to `name`, most populous first among equals.
    public func closestRows(to name: String, country: String? = nil, count: Int = 5) -> [Int] {
        let key = foldName(name)
        var scored: [(row: Int, distance: Int)] = []
        for (row, p) in profiles.enumerated() where country == nil || p.country == country!.uppercased() {
            let folded = foldName(p.name)
            var d = editDistance(key, folded)
            if folded.hasPrefix(key) || key.hasPrefix(folded) { d = min(d, 1) }
            scored.append((row, d))
        }
        scored.sort {
            $0.distance != $1.distance ? $0.distance < $1.distance
                : profiles[$0.row].population != profiles[$1.row].population ? profiles[$0.row].population > profiles[$1.row].population
                : idPrecedes(profiles[$0.row].id, profiles[$1.row].id)
        }
        return scored.prefix(count).map(\.row)
    }
}

/// Case- and diacritic-insensitive form of a place name.
public func foldName(_ s: String) -> String {
    s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        .trimmingCharacters(in: .whitespaces)
}
