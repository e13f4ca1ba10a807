/// The country and migration groups, computed by lookup.
///
/// - country: 1 for the same country, 0.5 for the same continent, 0 otherwise.
/// - migration: `½ (m_a[country_b] + m_b[country_a])`, where `m` is a city's L2-normalised vector of
///   migration-link shares by origin country: how much of each city's migrant population comes from the
///   other's country, both directions averaged. A city without links of its own has its country's
///   (`CountryMigration`, every origin kept).
///
/// Stored flat (per row: its country, and a slice of (origin country, weight) links of its own; per
/// country: a dense row of its links' weights), so that an index can keep it on disk beside the vectors.
public struct PairGroups: Sendable {
    /// Per row: index into the schema's countries, or −1.
    public let country: [Int32]
    let continent: [Int32]
    /// Links of row `r` are `linkCountry[linkStart[r]..<linkStart[r + 1]]` with their weights.
    public let linkStart: [Int32]
    public let linkCountry: [Int32]
    public let linkWeight: [Float]
    /// The country-level links, as given.
    public let countryMigration: CountryMigration
    /// Country-level weights, row-major destination × origin over the schema's countries.
    let countryLinks: [Float]
    let countryCount: Int
    /// For every country, the largest link weight any city has towards it.
    let maxInbound: [Float]

    /// The pair groups of `profiles` under `schema`, with `migration` for the cities without links.
    public init(profiles: [CityProfile], schema: FeatureSchema, migration: CountryMigration = .none) {
        let countryIndex = Dictionary(uniqueKeysWithValues: schema.countries.enumerated().map { ($1, $0) })
        var country = [Int32](repeating: -1, count: profiles.count)
        var start: [Int32] = [0], linkCountry: [Int32] = [], linkWeight: [Float] = []
        for (row, p) in profiles.enumerated() {
            country[row] = Int32(countryIndex[p.country] ?? -1)
            let norm = p.migrationLinks.reduce(0.0) { $0 + $1.weight * $1.weight }.squareRoot()
            if norm > 0 {
                for m in p.migrationLinks {
                    guard let c = countryIndex[m.key] else { continue }
                    linkCountry.append(Int32(c))
                    linkWeight.append(Float(m.weight / norm))
                }
            }
            start.append(Int32(linkCountry.count))
        }
        self.init(schema: schema, country: country, linkStart: start, linkCountry: linkCountry, linkWeight: linkWeight,
                  migration: migration)
    }

    /// Pair groups from their flat arrays (as an index stores them).
    public init(schema: FeatureSchema, country: [Int32], linkStart: [Int32], linkCountry: [Int32], linkWeight: [Float],
                migration: CountryMigration = .none) {
        let continents = Dictionary(uniqueKeysWithValues: schema.continents.enumerated().map { ($1, Int32($0)) })
        let continentOfCountry = schema.countries.map { Countries.named($0).flatMap { continents[$0.continent] } ?? -1 }
        self.country = country
        continent = country.map { $0 >= 0 && Int($0) < continentOfCountry.count ? continentOfCountry[Int($0)] : -1 }
        self.linkStart = linkStart
        self.linkCountry = linkCountry
        self.linkWeight = linkWeight
        countryMigration = migration
        let nC = schema.countries.count
        countryCount = nC
        let countryIndex = Dictionary(uniqueKeysWithValues: schema.countries.enumerated().map { ($1, $0) })
        var dense = [Float](repeating: 0, count: nC * nC)
        for (dest, links) in migration.links {
            guard let d = countryIndex[dest] else { continue }
            let norm = links.reduce(0.0) { $0 + $1.share * $1.share }.squareRoot()
            guard norm > 0 else { continue }
            for l in links { if let o = countryIndex[l.origin] { dense[d * nC + o] = Float(l.share / norm) } }
        }
        countryLinks = dense
        var maxInbound = [Float](repeating: 0, count: nC)
        for (c, w) in zip(linkCountry, linkWeight) where c >= 0 && Int(c) < nC { maxInbound[Int(c)] = max(maxInbound[Int(c)], w) }
        var inherits = Set<Int32>()
        for r in 0..<country.count where linkStart[r] == linkStart[r + 1] && country[r] >= 0 { inherits.insert(country[r]) }
        for d in inherits { for o in 0..<nC { maxInbound[o] = max(maxInbound[o], dense[Int(d) * nC + o]) } }
        self.maxInbound = maxInbound
    }

    /// Whether the flat arrays are consistent for `rows` rows and `countries` countries.
    public static func isValid(rows: Int, countries: Int, country: [Int32], linkStart: [Int32], linkCountry: [Int32], linkWeight: [Float]) -> Bool {
        guard country.count == rows, linkStart.count == rows + 1, linkStart.first == 0,
              Int(linkStart.last ?? -1) == linkCountry.count, linkCountry.count == linkWeight.count else { return false }
        for i in 0..<rows where linkStart[i] > linkStart[i + 1] { return false }
        return country.allSatisfy { $0 >= -1 && Int($0) < countries } && linkCountry.allSatisfy { $0 >= 0 && Int($0) < countries }
            && linkWeight.allSatisfy { (0...1).contains($0) } // normalised weights (a NaN is not in the range)
    }

    /// Whether `row` has migration links of its own (else it has its country's).
    public func hasOwnLinks(_ row: Int) -> Bool { linkStart[row] < linkStart[row + 1] }

    /// The links of `row`: (origin country, normalised weight), its own or its country's.
    public func links(of row: Int) -> [(country: Int32, weight: Float)] {
        if hasOwnLinks(row) { return (Int(linkStart[row])..<Int(linkStart[row + 1])).map { (linkCountry[$0], linkWeight[$0]) } }
        let c = Int(country[row])
        guard c >= 0 else { return [] }
        return (0..<countryCount).compactMap { o in countryLinks[c * countryCount + o] > 0 ? (Int32(o), countryLinks[c * countryCount + o]) : nil }
    }

    @inline(__always) func link(_ row: Int, to origin: Int32) -> Float {
        link(links: Int(linkStart[row])..<Int(linkStart[row + 1]), country: country[row], to: origin)
    }

    /// `link(_:to:)` of a row given by its links' range and its country.
    @inline(__always) func link(links: Range<Int>, country c: Int32, to origin: Int32) -> Float {
        var i = links.lowerBound
        let end = links.upperBound
        if i == end {
            return c >= 0 && origin >= 0 ? countryLinks[Int(c) * countryCount + Int(origin)] : 0
        }
        while i < end {
            if linkCountry[i] == origin { return linkWeight[i] }
            i += 1
        }
        return 0
    }

    public func countrySimilarity(_ a: Int, _ b: Int) -> Float {
        if country[a] >= 0 && country[a] == country[b] { return 1 }
        if continent[a] >= 0 && continent[a] == continent[b] { return 0.5 }
        return 0
    }

    public func migrationSimilarity(_ a: Int, _ b: Int) -> Float {
        0.5 * (link(a, to: country[b]) + link(b, to: country[a]))
    }

    /// The largest migration similarity `a` can have with any city.
    func migrationBound(_ a: Int) -> Float {
        var own: Float = 0
        for l in links(of: a) { own = max(own, l.weight) }
        let inbound = country[a] >= 0 ? maxInbound[Int(country[a])] : 0
        return 0.5 * (own + inbound)
    }

    /// The weighted pair groups as extra terms for a search whose query `i` is row `queryRows[i]`.
    public func terms(queryRows: [Int], weights: GroupWeights) -> WeightedPairGroups {
        WeightedPairGroups(groups: self, queryRows: queryRows, country: Float(weights[.country]), migration: Float(weights[.migration]))
    }
}

/// The country and migration groups of a search's queries, weighted.
public struct WeightedPairGroups: PairTerms {
    let groups: PairGroups
    let queryRows: [Int]
    let country: Float
    let migration: Float

    public func bound(query: Int) -> Float {
        country + migration * groups.migrationBound(queryRows[query]) * 1.0001
    }

    public func extra(query: Int, candidate: Int) -> Float {
        let q = queryRows[query]
        var s: Float = 0
        if country != 0 { s += country * groups.countrySimilarity(q, candidate) }
        if migration != 0 { s += migration * groups.migrationSimilarity(q, candidate) }
        return s
    }
}
