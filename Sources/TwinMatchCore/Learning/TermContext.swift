import Foundation

/// Everything the model terms need about a profile set and its known partnerships, computed once.
public final class TermContext: Sendable {
    public let corpus: Corpus
    public let graph: PairGraph
    var profiles: ProfileList { corpus.profiles.profiles }
    let unit: [Double]            // 3 per row
    let latitudes: [Double], longitudes: [Double]
    let logPopulation: [Float]    // log10(population + 100)
    let country: [Int32]
    /// Whether some row has no country in the schema (its country terms are 0).
    let hasCountrylessRows: Bool
    let region: [Int32]
    /// The rows of every region.
    let regionRows: [[Int32]]
    let countryCount: Int
    let regionCount: Int
    let logDegree: [Float]
    /// ln(1 + name variants) per row.
    let renown: [Float]
    let maxRenown: Float
    /// Candidate-only term values, per row, in `ModelTerm.allCases` order (empty for the other terms).
    let candidateColumns: [[Float]]
    /// Smoothed log P(partner country j | query country i), row-major countries × countries.
    let countryAffinity: [Float]
    /// 1 where two countries share a language, row-major countries × countries.
    let sharedLanguage: [Float]
    /// Region → (partner region → pairs / (region's pairs + 5)).
    let regionPairs: [Int32: [Int32: Float]]
    /// Region → (country → pairs / (region's pairs + 5)), row-major regions × countries.
    let regionToCountry: [Float]
    /// Country → (region → pairs / (country's pairs + 5)), row-major countries × regions.
    let countryToRegion: [Float]
    /// Places with known partners, on a grid.
    let partnered: SpatialGrid
    /// Every place, on a grid.
    let everywhere: SpatialGrid
    /// Places with known partners → the places within `nearbyKm` and their kernel weights, filled on first use.
    private let surroundingsCache = Locked([Int32: [(row: Int32, weight: Float)]]())
    let minLogPopulation: Float
    let maxLogPopulation: Float
    let maxLogDegree: Float

    public static let nearbyKm = 50.0
    public static let nearbyScaleKm = 25.0
    public static let areaKm = 150.0
    public static let areaScaleKm = 75.0
    static let affinitySmoothing = 5.0
    static let rateSmoothing = 20.0

    /// - Parameters:
    ///   - corpus: the profiles with their content vectors.
    ///   - graph: the known partnerships (`Corpus.partnerships(adding:)`); the test pairs of an evaluation
    ///     are never among them.
    ///   - reference: the country terms as a model's fitting data saw them (`TwinModel.reference`); without
    ///     one, they come from these profiles and pairs.
    public init(corpus: Corpus, graph: PairGraph, reference: CountryReference? = nil) {
        precondition(graph.count == corpus.count, "the graph has \(graph.count) rows, the corpus \(corpus.count)")
        self.corpus = corpus
        let profiles = corpus.profiles.profiles
        let n = profiles.count
        let knownPairs = graph.pairs
        self.graph = graph
        var unit = [Double](repeating: 0, count: 3 * n)
        var logPopulation = [Float](repeating: 0, count: n)
        var regionIndex: [String: Int32] = [:]
        var region = [Int32](repeating: 0, count: n)
        // Columns only: an index answers them without decoding whole profiles.
        let places = parallelMap(n) { i in
            (latitude: profiles.latitude(i), longitude: profiles.longitude(i), population: profiles.population(i),
             region: profiles.region(i), variants: profiles.nameVariants(i) ?? 0)
        }
        let latitudes = places.map(\.latitude), longitudes = places.map(\.longitude)
        let variants = places.map(\.variants)
        let country = corpus.pairGroups.country
        for (i, p) in places.enumerated() {
            let lat = p.latitude * .pi / 180, lon = p.longitude * .pi / 180
            unit[3 * i] = cos(lat) * cos(lon); unit[3 * i + 1] = cos(lat) * sin(lon); unit[3 * i + 2] = sin(lat)
            logPopulation[i] = Float(log10(p.population + 100))
            let key = "\(country[i])." + p.region
            if let r = regionIndex[key] { region[i] = r } else { region[i] = Int32(regionIndex.count); regionIndex[key] = region[i] }
        }
        self.unit = unit
        self.latitudes = latitudes
        self.longitudes = longitudes
        self.logPopulation = logPopulation
        self.region = region
        regionCount = regionIndex.count
        var regionRows = [[Int32]](repeating: [], count: regionIndex.count)
        for (i, r) in region.enumerated() { regionRows[Int(r)].append(Int32(i)) }
        self.regionRows = regionRows
        minLogPopulation = logPopulation.min() ?? 0
        maxLogPopulation = logPopulation.max() ?? 0
        self.country = country
        hasCountrylessRows = country.contains { $0 < 0 }
        let countries = corpus.schema.countries
        let nC = max(1, countries.count)
        countryCount = nC
        let logDegree = (0..<n).map { Float(log1p(Double(graph.degree($0)))) }
        self.logDegree = logDegree
        maxLogDegree = logDegree.max() ?? 0

        // Candidate terms; the two that describe a country come from the reference when one is given.
        let reference = reference ?? Self.reference(countries: countries, country: country, logPopulation: logPopulation, degree: graph.degree)
        // Places per country as these profiles have them, for countries the reference lacks.
        var ownPlaces = [Double](repeating: 0, count: nC)
        for c in country where c >= 0 { ownPlaces[Int(c)] += 1 }
        // (With no country at all, the one column of the lookups belongs to none.)
        let placesColumn = (0..<nC).map { i in
            i < countries.count ? Float(reference.places[countries[i]] ?? (ownPlaces[i] > 0 ? log(ownPlaces[i]) : 0)) : 0
        }
        // Twinning rate per (country, size band): the reference's cells, looked up once each.
        let bands = 64
        var rates = [Float](repeating: Float(reference.baseRate), count: nC * bands)
        for i in 0..<nC where ownPlaces[i] > 0 {
            for b in 0..<bands { rates[i * bands + b] = Float(reference.twinningRate["\(countries[i])/\(b)"] ?? reference.baseRate) }
        }
        let renown = variants.map { Float(log1p(Double($0))) }
        self.renown = renown
        maxRenown = renown.max() ?? 0
        // One column per candidate term (no default: a new term must say whether it is one).
        candidateColumns = ModelTerm.allCases.map { t -> [Float] in
            switch t {
            case .partnerCount: return logDegree
            case .hasPartners: return (0..<n).map { graph.degree($0) > 0 ? 1 : 0 }
            case .logPartners: return (0..<n).map { graph.degree($0) > 0 ? Float(log(Double(graph.degree($0)))) : 0 }
            case .logPopulation: return logPopulation
            case .logPopulationSquared: return logPopulation.map { $0 * $0 }
            case .renown: return renown
            case .countryPlaces:
                return (0..<n).map { c in country[c] >= 0 ? placesColumn[Int(country[c])] : 0 }
            case .twinningRate:
                return (0..<n).map { c in
                    guard country[c] >= 0 else { return Float(reference.baseRate) }
                    return rates[Int(country[c]) * bands + CountryReference.band(logPopulation[c])]
                }
            case .size, .geography, .themes, .complementarity, .migration, .languages, .networks, .country,
                 .near300, .near1000, .near3000, .sizeProduct, .partnerSize, .logDistance, .logDistanceSquared, .partnerDistance,
                 .renownProduct, .hubProduct, .countryAffinity, .sharedLanguage, .regionAffinity, .regionToCountry, .countryToRegion,
                 .commonPartners, .resourceAllocation, .threeHop, .twinnedNearby, .twinnedInArea, .nearPartners, .neighboursTwinned,
                 .sameName, .namesakeCrowd, .twoHop, .twoHopShare, .logWalkTwo, .logWalkThree:
                return []
            }
        }
        precondition(zip(ModelTerm.allCases, candidateColumns).allSatisfy { ($0.kind == .candidate) == !$1.isEmpty || n == 0 },
                     "every candidate term has a column, and only those")

        // Country affinity from directed pair counts, smoothed towards the overall partner-country mix.
        var counts = [Double](repeating: 0, count: nC * nC)
        var regionCounts: [Int32: [Int32: Double]] = [:]
        let nR = regionIndex.count
        var r2c = [Float](repeating: 0, count: nR * nC), c2r = [Float](repeating: 0, count: nC * nR)
        var regionTotal = [Float](repeating: 0, count: nR), countryTotal = [Float](repeating: 0, count: nC)
        for (a, b) in knownPairs {
            for (x, y) in [(a, b), (b, a)] {
                let cx = country[x], cy = country[y]
                if cx >= 0 && cy >= 0 { counts[Int(cx) * nC + Int(cy)] += 1 }
                regionCounts[region[x], default: [:]][region[y], default: 0] += 1
                regionTotal[Int(region[x])] += 1
                if cy >= 0 { r2c[Int(region[x]) * nC + Int(cy)] += 1 }
                if cx >= 0 { c2r[Int(cx) * nR + Int(region[y])] += 1; countryTotal[Int(cx)] += 1 }
            }
        }
        for r in 0..<nR where regionTotal[r] > 0 { for j in 0..<nC { r2c[r * nC + j] /= regionTotal[r] + 5 } }
        for c in 0..<nC where countryTotal[c] > 0 { for r in 0..<nR { c2r[c * nR + r] /= countryTotal[c] + 5 } }
        regionToCountry = r2c
        countryToRegion = c2r
        var column = [Double](repeating: 0, count: nC), rowTotal = [Double](repeating: 0, count: nC)
        for i in 0..<nC { for j in 0..<nC { column[j] += counts[i * nC + j]; rowTotal[i] += counts[i * nC + j] } }
        let total = column.reduce(0, +)
        var affinity = [Float](repeating: 0, count: nC * nC)
        var language = [Float](repeating: 0, count: nC * nC)
        let languages = countries.map { Set(Countries.named($0)?.languages ?? []) }
        for i in 0..<nC {
            for j in 0..<nC {
                let prior = (column[j] + 0.1) / (total + 0.1 * Double(nC))
                affinity[i * nC + j] = Float(log((counts[i * nC + j] + Self.affinitySmoothing * prior) / (rowTotal[i] + Self.affinitySmoothing)))
                if i < languages.count && j < languages.count && !languages[i].isDisjoint(with: languages[j]) { language[i * nC + j] = 1 }
            }
        }
        countryAffinity = affinity
        sharedLanguage = language
        regionPairs = regionCounts.mapValues { row in
            let sum = row.values.reduce(0, +)
            return row.mapValues { Float($0 / (sum + 5)) }
        }

        // Grids for the spatial graph terms.
        partnered = SpatialGrid(latitudes: latitudes, longitudes: longitudes, rows: (0..<n).filter { graph.degree($0) > 0 })
        everywhere = SpatialGrid(latitudes: latitudes, longitudes: longitudes, rows: Array(0..<n))
    }

    /// The places within `nearbyKm` of `z` and their kernel weights, computed once per place.
    func surroundings(_ z: Int32) -> [(row: Int32, weight: Float)] {
        if let known = surroundingsCache.withLock({ $0[z] }) { return known }
        let around = everywhere.within(km: Self.nearbyKm, lat: latitudes[Int(z)], lon: longitudes[Int(z)])
            .filter { $0.row != Int(z) }
            .map { (Int32($0.row), Float(exp(-$0.km / Self.nearbyScaleKm))) }
        surroundingsCache.withLock { $0[z] = around }
        return around
    }

    /// The places that share `row`'s name (folded: without case, accents or punctuation), `row` itself
    /// included; empty for a name of one place. Read from the profile set's name lookup.
    func namesakes(of row: Int) -> [Int32] {
        let set = corpus.profiles, name = profiles.name(row), key = foldName(name)
        let rows = set.nameHits(name).filter { !$0.alternate && foldName(profiles.name($0.row)) == key }.map { Int32($0.row) }
        return rows.count > 1 ? rows : []
    }

    /// The context of `corpus` with the profiles' own partnerships and `knownPairs` as its graph.
    public convenience init(corpus: Corpus, knownPairs: [(Int, Int)], reference: CountryReference? = nil) {
        self.init(corpus: corpus, graph: corpus.partnerships(adding: knownPairs), reference: reference)
    }

    /// The country terms of a profile set and its known partnerships.
    static func reference(countries: [String], country: [Int32], logPopulation: [Float], degree: (Int) -> Int) -> CountryReference {
        let n = country.count
        var placesPerCountry = [Double](repeating: 0, count: countries.count)
        var cell: [String: (places: Double, twinned: Double)] = [:]
        var twinnedTotal = 0.0
        for c in 0..<n where country[c] >= 0 {
            placesPerCountry[Int(country[c])] += 1
            let key = CountryReference.cell(countries[Int(country[c])], logPopulation[c])
            let twinned = degree(c) > 0 ? 1.0 : 0.0
            cell[key, default: (0, 0)].places += 1
            cell[key, default: (0, 0)].twinned += twinned
            twinnedTotal += twinned
        }
        let baseRate = (twinnedTotal + 1) / (Double(n) + 2)
        var places: [String: Double] = [:]
        for (i, code) in countries.enumerated() where placesPerCountry[i] > 0 { places[code] = log(placesPerCountry[i]) }
        let rates = cell.mapValues { k in
            let rate = (k.twinned + rateSmoothing * baseRate) / (k.places + rateSmoothing)
            return log(rate / (1 - rate))
        }
        return CountryReference(places: places, twinningRate: rates, baseRate: log(baseRate / (1 - baseRate)))
    }

    /// The country terms of a profile set and its known partnerships, as `fit` records them in a model.
    public static func reference(corpus: Corpus, graph: PairGraph) -> CountryReference {
        let profiles = corpus.profiles.profiles
        let logPopulation = (0..<profiles.count).map { Float(log10(profiles.population($0) + 100)) }
        return reference(countries: corpus.schema.countries, country: corpus.pairGroups.country,
                         logPopulation: logPopulation, degree: graph.degree)
    }

    /// Whether `row` has no known partner (its model tier is the first, the cold queries').
    public func isCold(_ row: Int) -> Bool { graph.degree(row) == 0 }

    @inline(__always) func distanceKm(_ a: Int, _ b: Int) -> Double {
        Self.distanceKm(unit(a), unit(b))
    }

    /// The great-circle distance between two places given by their unit vectors.
    @inline(__always) static func distanceKm(_ u: (Double, Double, Double), _ v: (Double, Double, Double)) -> Double {
        let dot = u.0 * v.0 + u.1 * v.1 + u.2 * v.2
        return earthRadiusKm * acos(min(1, max(-1, dot)))
    }

    /// Row `r`'s unit vector.
    @inline(__always) func unit(_ r: Int) -> (Double, Double, Double) { (unit[3 * r], unit[3 * r + 1], unit[3 * r + 2]) }

    /// x = ln(1 + d / 100 km), the distance of the log-distance terms.
    @inline(__always) func logDistance(_ a: Int, _ b: Int) -> Float { Float(log1p(distanceKm(a, b) / 100)) }

    /// The largest x: half the Earth's circumference.
    static let maxLogDistance = Float(log1p(Double.pi * earthRadiusKm / 100))

    /// The value of a candidate-only term.
    @inline(__always) public func candidateValue(_ t: ModelTerm, _ c: Int) -> Float {
        ModelTerm.position[t].map { candidateColumns[$0].isEmpty ? 0 : candidateColumns[$0][c] } ?? 0
    }

    /// The per-query state of the pair and graph terms. (Not kept: a `QueryTerms` holds its context, so a
    /// cache in the context would keep both alive for ever.)
    public func query(_ q: Int) -> QueryTerms { QueryTerms(context: self, query: q) }
}
