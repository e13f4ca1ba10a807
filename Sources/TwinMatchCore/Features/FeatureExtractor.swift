import Foundation

/// Turns profiles into stored vectors (`n × dimension`, row-major) and stored vectors into query vectors.
///
/// Every group is L2-normalised on its own (complementarity and migration per half), so each group's
/// similarity is a cosine-like number. A group a city has no data for is a zero block and contributes 0.
public struct FeatureExtractor: Sendable {
    public let schema: FeatureSchema
    private let ranges: [FeatureGroup: Range<Int>]
    private let themeIndex: [String: Int]
    private let languageIndex: [String: Int]
    private let networkIndex: [String: Int]
    private let countryIndex: [String: Int]
    private let continentIndex: [String: Int]
    private let map: FeatureSchema.QueryMap
    /// Per column, its group's position in `FeatureGroup.allCases`.
    private let groupOrdinal: [Int]

    public init(schema: FeatureSchema) {
        self.schema = schema
        ranges = schema.ranges
        func index(_ a: [String]) -> [String: Int] { Dictionary(uniqueKeysWithValues: a.enumerated().map { ($1, $0) }) }
        themeIndex = index(schema.themes)
        languageIndex = index(schema.languages)
        networkIndex = index(schema.networks)
        countryIndex = index(schema.countries)
        continentIndex = index(schema.continents)
        map = schema.queryMap
        groupOrdinal = map.group.map { g in FeatureGroup.allCases.firstIndex(of: g) ?? 0 }
    }

    /// The stored vectors of `profiles`, one row each.
    public func transform<C: RandomAccessCollection<CityProfile> & Sendable>(_ profiles: C) -> FloatMatrix where C.Index == Int {
        FloatMatrix.build(rows: profiles.count, cols: schema.dimension) { vector(profiles[$0]) }
    }

    /// The stored vector of one profile.
    public func vector(_ p: CityProfile) -> [Float] {
        var v = [Float](repeating: 0, count: schema.dimension)
        func put(_ group: FeatureGroup, offset: Int = 0, _ entries: [(Int, Double)]) {
            let base = ranges[group]!.lowerBound + offset
            // Entries of one column (a profile made in code may name a theme twice) add up first, so the
            // group is normalised as stored and every value lies in −1…1 (an index is checked for that).
            var merged: [(Int, Double)] = []
            merged.reserveCapacity(entries.count)
            for (i, w) in entries {
                if let k = merged.firstIndex(where: { $0.0 == i }) { merged[k].1 += w } else { merged.append((i, w)) }
            }
            let norm = sqrt(merged.reduce(0) { $0 + $1.1 * $1.1 })
            guard norm > 0 else { return }
            for (i, w) in merged { v[base + i] = Float(w / norm) }
        }
        // size
        if p.population >= 1 {
            let l = log10(p.population)
            put(.size, schema.sizeCentres.enumerated().map { ($0.offset, exp(-pow(l - $0.element, 2) / (2 * schema.sizeWidth * schema.sizeWidth))) })
        }
        // geography: the unit vector plus a constant 1
        let lat = p.latitude * .pi / 180, lon = p.longitude * .pi / 180
        let g = ranges[.geography]!.lowerBound
        v[g] = Float(cos(lat) * cos(lon)); v[g + 1] = Float(cos(lat) * sin(lon)); v[g + 2] = Float(sin(lat)); v[g + 3] = 1
        // themes
        put(.themes, p.themes.compactMap { t in themeIndex[t.key].map { ($0, t.weight) } })
        // complementarity: offers | seeks
        put(.complementarity, p.offers.compactMap { themeIndex[$0].map { ($0, 1.0) } })
        put(.complementarity, offset: schema.themes.count, p.seeks.compactMap { themeIndex[$0].map { ($0, 1.0) } })
        // Earlier languages weigh more (1, 1/2, 1/3, …): the main language comes first.
        put(.languages, p.languages.enumerated().compactMap { i, l in languageIndex[l].map { ($0, 1.0 / Double(i + 1)) } })
        put(.networks, p.networks.compactMap { networkIndex[$0].map { ($0, 1.0) } })
        return v
    }

    /// The query vector for a stored vector: per-group weights, factors and swaps applied.
    public func queryVector(_ stored: [Float], weights: GroupWeights) -> [Float] {
        precondition(stored.count == schema.dimension)
        return queryVector(stored, scale: columnScale(weights))
    }

    /// Per column: the group's weight times the column's query factor.
    func columnScale(_ weights: GroupWeights) -> [Float] {
        map.group.indices.map { Float(weights[map.group[$0]]) * map.factor[$0] }
    }

    func queryVector(_ stored: [Float], scale: [Float]) -> [Float] {
        (0..<stored.count).map { scale[$0] * stored[map.source[$0]] }
    }

    /// The query vectors of the given stored rows, as a matrix.
    public func queryMatrix(_ stored: FloatMatrix, rows: [Int], weights: GroupWeights) -> FloatMatrix {
        let scale = columnScale(weights)
        return FloatMatrix.build(rows: rows.count, cols: stored.cols) { queryVector(stored.row(rows[$0]), scale: scale) }
    }

    /// The lookup data of the pair groups (country, migration) for `profiles`, with `migration` for the
    /// cities without migration links of their own.
    public func pairGroups<S: Sequence<CityProfile>>(_ profiles: S, migration: CountryMigration = .none) -> PairGroups {
        PairGroups(profiles: Array(profiles), schema: schema, migration: migration)
    }

    /// Per-group similarity (unweighted) of the dense groups between stored vectors `a` and `b`, in `Double`.
    public func similarities(_ a: [Float], _ b: [Float]) -> [FeatureGroup: Double] {
        let values = similarityValues(a, b)
        var out: [FeatureGroup: Double] = [:]
        for (k, g) in FeatureGroup.allCases.enumerated() where !g.isPairGroup { out[g] = values[k] }
        return out
    }

    /// `similarities` in `FeatureGroup.allCases` order (the pair groups 0), without a dictionary.
    public func similarityValues(_ a: [Float], _ b: [Float]) -> [Double] {
        var out = [Double](repeating: 0, count: FeatureGroup.allCases.count)
        for j in 0..<a.count {
            out[groupOrdinal[j]] += Double(map.factor[j]) * Double(a[map.source[j]]) * Double(b[j])
        }
        return out
    }
}

extension FeatureExtractor {
    /// Query and candidate matrices whose inner products are the full scores, the country and migration
    /// groups spelled out as columns (one-hot country and continent; migration shares by origin country
    /// beside the one-hot country, swapped on the query side). For export (`twinmatch embed`): the engine
    /// itself computes those two groups by lookup.
    public func exportMatrices(stored: FloatMatrix, pairGroups: PairGroups, weights: GroupWeights) -> (queries: FloatMatrix, candidates: FloatMatrix) {
        let nC = schema.countries.count, nK = schema.continents.count, d = schema.dimension
        let width = d + nC + nK + 2 * nC
        let wCountry = Float(weights[.country]), wMigration = Float(weights[.migration])
        let root = Float(0.5).squareRoot()
        @Sendable func expanded(_ r: Int, query: Bool) -> [Float] {
            var v = query ? queryVector(stored.row(r), weights: weights) : stored.row(r)
            v += [Float](repeating: 0, count: width - d)
            let c = Int(pairGroups.country[r]), k = Int(pairGroups.continent[r])
            let scale: Float = query ? wCountry : 1
            if c >= 0 { v[d + c] = scale * root }
            if k >= 0 { v[d + nC + k] = scale * root }
            let links = d + nC + nK, own = links + nC
            let m: Float = query ? 0.5 * wMigration : 1
            for l in pairGroups.links(of: r) { v[(query ? own : links) + Int(l.country)] = m * l.weight }
            if c >= 0 { v[(query ? links : own) + c] = m }
            return v
        }
        let n = stored.rows
        return (FloatMatrix.build(rows: n, cols: width) { expanded($0, query: true) },
                FloatMatrix.build(rows: n, cols: width) { expanded($0, query: false) })
    }
}
