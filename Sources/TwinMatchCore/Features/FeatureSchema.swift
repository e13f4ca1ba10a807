import Foundation

/// The fitted layout of city vectors: the vocabulary of each group and the columns it occupies.
///
/// Fit once per dataset (`fit`), then turn profiles into vectors with `FeatureExtractor`. A stored vector
/// `x` and a query vector `q = queryVector(x)` give `q · x' = Σ_g w_g · sim_g(x, x')` over the dense groups.
/// The query side applies, per column, a weight, a factor and a permutation within the group
/// (complementarity swaps its two halves), so the same stored matrix serves every choice of weights.
/// The country and migration groups are one-hot over ~250 countries: they are computed as lookups
/// (`PairGroups`) instead of taking hundreds of columns.
public struct FeatureSchema: Codable, Sendable, Equatable {
    public static let version = 1

    public var version = FeatureSchema.version
    /// Theme vocabulary: the canonical themes, then any other theme found in the dataset.
    public var themes: [String]
    public var languages: [String]
    public var networks: [String]
    /// Countries of the cities and origins of their migration links.
    public var countries: [String]
    public var continents: [String]
    /// The distance at which geography similarity crosses 0.
    public var geographyScaleKm: Double
    /// Centres of the size bins, log10(population).
    public var sizeCentres: [Double]
    public var sizeWidth: Double

    /// Column range of each group, in `FeatureGroup.allCases` order.
    public var ranges: [FeatureGroup: Range<Int>] {
        var out: [FeatureGroup: Range<Int>] = [:]
        var start = 0
        for g in FeatureGroup.allCases {
            out[g] = start..<(start + width(of: g))
            start += width(of: g)
        }
        return out
    }

    public var dimension: Int { FeatureGroup.allCases.reduce(0) { $0 + width(of: $1) } }

    public func width(of group: FeatureGroup) -> Int {
        switch group {
        case .size: return sizeCentres.count
        case .geography: return 4
        case .themes: return themes.count
        case .complementarity: return 2 * themes.count
        case .languages: return languages.count
        case .networks: return networks.count
        case .migration, .country: return 0   // pair groups: lookups, see `PairGroups`
        }
    }

    /// Why a decoded schema cannot be used, as the field at fault and a clause naming it; nil when it can. Every
    /// vocabulary names each entry once (the lookups of `FeatureExtractor` and `PairGroups` are keyed by
    /// them) and the numbers are finite, the widths and the scale positive. `fit` makes only such schemas;
    /// an index read from disk is checked with this before anything is built on its schema.
    public var problem: (field: String, message: String)? {
        for (field, words) in [("themes", themes), ("languages", languages), ("networks", networks), ("countries", countries),
                               ("continents", continents)] {
            var seen = Set<String>()
            if let twice = words.first(where: { !seen.insert($0).inserted }) { return (field, "the \(field) name '\(twice)' twice") }
        }
        if let bad = sizeCentres.first(where: { !$0.isFinite }) { return ("sizeCentres", "sizeCentres holds \(bad), not a finite number") }
        guard sizeWidth.isFinite, sizeWidth > 0 else { return ("sizeWidth", "sizeWidth \(sizeWidth) is not a positive number") }
        guard geographyScaleKm.isFinite, geographyScaleKm > 0 else { return ("geographyScaleKm", "geographyScaleKm \(geographyScaleKm) is not a positive number") }
        return nil
    }

    /// The dense networks group covers at most this many networks, those with the most members (ties by
    /// name), so that the hundreds of small networks (an URBACT network has about ten partners) do not
    /// widen every vector; the learned model reads co-membership of every network as a pair term.
    public static let maxDenseNetworks = 64

    /// Fits the vocabularies on `profiles`; `countries` adds countries named elsewhere (migration origins).
    public static func fit<S: Sequence<CityProfile>>(_ profiles: S, countries extraCountries: Set<String> = [],
                                                     geographyScaleKm: Double = 2000) -> FeatureSchema {
        var themes = ThemeVocabulary.themes
        var extraThemes = Set<String>(), languages = Set<String>(), countries = extraCountries
        var members: [String: Int] = [:]
        for p in profiles {
            for t in p.allThemes where !themes.contains(t) { extraThemes.insert(t) }
            languages.formUnion(p.languages)
            for n in p.networks { members[n, default: 0] += 1 }
            countries.insert(p.country)
            for m in p.migrationLinks { countries.insert(m.key) }
        }
        themes += extraThemes.sorted()
        let networks = members.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(maxDenseNetworks).map(\.key)
        let continents = Set(countries.compactMap { Countries.named($0)?.continent })
        return FeatureSchema(themes: themes, languages: languages.sorted(), networks: networks.sorted(),
                             countries: countries.sorted(), continents: continents.sorted(),
                             geographyScaleKm: geographyScaleKm,
                             sizeCentres: stride(from: 2.0, through: 7.5, by: 0.5).map { $0 }, sizeWidth: 0.35)
    }

    /// For every column: its group, the stored column it reads and the factor it applies on the query side.
    public struct QueryMap: Sendable {
        public let group: [FeatureGroup]
        public let source: [Int]
        public let factor: [Float]
    }

    public var queryMap: QueryMap {
        var group: [FeatureGroup] = [], source: [Int] = [], factor: [Float] = []
        let ranges = self.ranges
        for g in FeatureGroup.allCases {
            let r = ranges[g]!
            switch g {
            case .geography:
                // x·x' = cos θ; sim = 1 − s(1 − cos θ) = s·cos θ − (s − 1), with the constant column = 1.
                let s = Float(1 / (1 - cos(geographyScaleKm / earthRadiusKm)))
                for j in r { group.append(g); source.append(j); factor.append(j == r.upperBound - 1 ? -(s - 1) : s) }
            case .complementarity:
                let half = r.count / 2
                for j in r {
                    group.append(g)
                    source.append(j < r.lowerBound + half ? j + half : j - half)
                    factor.append(0.5)
                }
            default:
                for j in r { group.append(g); source.append(j); factor.append(1) }
            }
        }
        return QueryMap(group: group, source: source, factor: factor)
    }
}
