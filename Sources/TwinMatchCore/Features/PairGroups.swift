/// The country and migration groups, computed by lookup.
///
/// - country: 1 for the same country, 0.5 for the same continent, 0 otherwise.
/// - migration: `½ (m_a[country_b] + m_b[country_a])`, where `m` is a city's L2-normalised vector of
///   migration-link shares by origin country: how much of each city's migrant population comes from the
///   other's country, both directions averaged.
public struct PairGroups: Sendable {
    let country: [Int32]
    let continent: [Int32]
    /// Normalised migration links per row: (country index, weight).
    let links: [[(country: Int32, weight: Float)]]
    /// For every country, the largest link weight any city has towards it.
    let maxInbound: [Float]

    init(profiles: [CityProfile], countryIndex: [String: Int], continentIndex: [String: Int]) {
        var country = [Int32](repeating: -1, count: profiles.count)
        var continent = [Int32](repeating: -1, count: profiles.count)
        var links = [[(country: Int32, weight: Float)]](repeating: [], count: profiles.count)
        var maxInbound = [Float](repeating: 0, count: countryIndex.count)
        for (row, p) in profiles.enumerated() {
            country[row] = Int32(countryIndex[p.country] ?? -1)
            if let cont = Countries.named(p.country)?.continent { continent[row] = Int32(continentIndex[cont] ?? -1) }
            let norm = p.migrationLinks.reduce(0.0) { $0 + $1.weight * $1.weight }.squareRoot()
            guard norm > 0 else { continue }
            for m in p.migrationLinks {
                guard let c = countryIndex[m.key] else { continue }
                let w = Float(m.weight / norm)
                links[row].append((Int32(c), w))
                maxInbound[c] = max(maxInbound[c], w)
            }
        }
        self.country = country
        self.continent = continent
        self.links = links
        self.maxInbound = maxInbound
    }

    @inline(__always) func link(_ row: Int, to country: Int32) -> Float {
        for l in links[row] where l.country == country { return l.weight }
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
        let own = links[a].reduce(Float(0)) { max($0, $1.weight) }
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
