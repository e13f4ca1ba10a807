import Foundation

/// What ranking reads about a profile set, built once and never changed: the profiles, the fitted feature
/// schema, the stored vectors (one row per profile), the country and migration lookups and the
/// partnerships the profiles list. Every ranker, batch job, evaluation and server request reads the same
/// value, from any thread.
public struct Corpus: Sendable {
    public let profiles: ProfileSet
    public let extractor: FeatureExtractor
    /// Stored vectors, `count × schema.dimension`, row-major.
    public let stored: FloatMatrix
    public let pairGroups: PairGroups
    /// The partnerships the profiles themselves list, each once, smaller row first, ascending.
    public let listedPairs: [(Int, Int)]
    /// The networks and programmes of every row.
    public let memberships: Memberships

    public var schema: FeatureSchema { extractor.schema }
    public var count: Int { profiles.count }
    /// For every row, its position in id order (ties between equal scores go to the smaller rank).
    public var idRank: [Int32] { profiles.idRank }

    /// The corpus of `profiles`: the schema fitted on them (unless given), their vectors and lookups, with
    /// `migration`'s country-level links for the cities without links of their own.
    public init(profiles: ProfileSet, schema: FeatureSchema? = nil, migration: CountryMigration = .none) {
        let all = Array(profiles.profiles)
        let extractor = FeatureExtractor(schema: schema ?? FeatureSchema.fit(all, countries: migration.countries))
        self.init(profiles: profiles, extractor: extractor, stored: extractor.transform(all),
                  pairGroups: extractor.pairGroups(all, migration: migration),
                  listedPairs: Self.listedPairs(all, row: profiles.row(ofId:)), memberships: Memberships(rowNetworks: all.map(\.networks)))
    }

    /// The corpus an index holds, memory-mapped: nothing is fitted or decoded.
    public init(index: CityIndex) {
        self.init(profiles: ProfileSet(store: index, source: index.path), extractor: FeatureExtractor(schema: index.schema),
                  stored: index.stored, pairGroups: index.pairGroups, listedPairs: index.partnerPairs, memberships: index.memberships)
    }

    init(profiles: ProfileSet, extractor: FeatureExtractor, stored: FloatMatrix, pairGroups: PairGroups, listedPairs: [(Int, Int)],
         memberships: Memberships) {
        precondition(stored.rows == profiles.count && stored.cols == extractor.schema.dimension, "stored vectors do not match the profiles")
        self.profiles = profiles
        self.extractor = extractor
        self.stored = stored
        self.pairGroups = pairGroups
        self.listedPairs = listedPairs
        self.memberships = memberships
    }

    /// Loads a CSV or JSON Lines profile file, or opens an index.
    public static func load(profiles path: String, strict: Bool = false, onError: RowErrorPolicy = .fail,
                            migration: CountryMigration = .none) throws -> Corpus {
        Corpus(profiles: try ProfileLoader(strict: strict, onError: onError).load(path: path), migration: migration)
    }

    public static func open(index path: String) throws -> Corpus {
        Corpus(index: try CityIndex(path: path))
    }

    /// The partnership graph: the profiles' own partnerships and `known`, each pair once. Rankers exclude
    /// a query's partners from its candidates, and the learned model's graph terms read this graph.
    public func partnerships(adding known: [(Int, Int)] = []) -> PairGraph {
        PairGraph(count: count, distinct: listedPairs + known)
    }

    /// The distinct partnerships listed in `profiles` (partner ids not among them are ignored).
    static func listedPairs(_ profiles: [CityProfile], row: (String) -> Int?) -> [(Int, Int)] {
        var keys = Set<PairKey>()
        for (a, p) in profiles.enumerated() {
            for partner in p.partners { if let b = row(partner), b != a { keys.insert(PairKey(a, b)) } }
        }
        return keys.sorted().map { ($0.a, $0.b) }
    }

    /// Great-circle distance between two rows, km.
    public func distanceKm(_ a: Int, _ b: Int) -> Double {
        let p = profiles.profiles
        return haversineKm(p.latitude(a), p.longitude(a), p.latitude(b), p.longitude(b))
    }

    /// The themes (not offers or seeks) both rows have, sorted.
    public func sharedThemes(_ a: Int, _ b: Int) -> [String] {
        let p = profiles.profiles
        return Self.sharedThemes(p[a], p[b])
    }

    /// The themes two profiles share, sorted.
    static func sharedThemes(_ a: CityProfile, _ b: CityProfile) -> [String] {
        Set(a.themes.map(\.key)).intersection(b.themes.map(\.key)).sorted()
    }
}

extension Corpus {
    /// A word on candidate `c` a coordinator should read before writing to it: it says it is not looking
    /// for partners (`status`), or little is known of it (no themes, networks, offers or seeks, and no known
    /// partner), so its score rests on size, place and country. Nil when neither holds. It reads stored
    /// columns only.
    public func candidateNote(_ c: Int, graph: PairGraph) -> String? {
        var notes: [String] = []
        switch profiles.profiles.status(c) {
        case .complete?: notes.append("its profile says its partnerships are complete")
        case .inactive?: notes.append("its profile says it is not active in twinning now")
        case .open?, nil: break
        }
        let ranges = schema.ranges
        let described = [FeatureGroup.themes, .complementarity].contains { g in
            ranges[g].map { r in r.contains { stored[c, $0] != 0 } } ?? false
        }
        if !described && memberships.networks(of: c).isEmpty && graph.degree(c) == 0 {
            notes.append("little is known of it (no themes, networks or known partners): the score rests on size, place and country")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
