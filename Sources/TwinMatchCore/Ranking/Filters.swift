/// Which candidates a query may receive. The city itself and its existing partners are always excluded.
public struct CandidateFilter: Sendable, Equatable {
    /// Exclude candidates in the query's own country (default: 96% of real twinnings cross a border).
    public var excludeSameCountry = true
    public var minKm: Double?
    public var maxKm: Double?
    public var minPopulation: Double?
    public var maxPopulation: Double?
    /// Only candidates in these countries (empty: any).
    public var countries: Set<String> = []
    public var excludedCountries: Set<String> = []
    /// Candidates must have every one of these themes (in themes, offers or seeks).
    public var requiredThemes: [String] = []
    /// A list spreads over places: a candidate is passed over while this many listed candidates lie within
    /// `clusterKm` of it (nil: no limit). Passed-over candidates fill the list's end if it runs short.
    public var maxNearby: Int? = 2
    public static let clusterKm = 30.0

    public init() {}

    /// A filter from what a person asks for, checked: distances and populations non-negative numbers,
    /// countries ISO 3166-1 alpha-2 codes (any case), themes known (by name or alias); an `OptionError`
    /// names the option otherwise.
    public init(allowSameCountry: Bool = false, minKm: Double? = nil, maxKm: Double? = nil, minPopulation: Double? = nil,
                maxPopulation: Double? = nil, countries: [String] = [], excludedCountries: [String] = [], themes: [String] = [],
                maxNearby: Int? = 2) throws {
        if let maxNearby, maxNearby < 1 { throw OptionError("--max-nearby", "--max-nearby must be at least 1 (--no-spread lifts the limit)") }
        self.maxNearby = maxNearby
        for (name, v) in [("--max-km", maxKm), ("--min-km", minKm), ("--min-population", minPopulation), ("--max-population", maxPopulation)] {
            if let v, !(v.isFinite && v >= 0) { throw OptionError(name, "\(name) must be a non-negative number") }
        }
        for c in countries + excludedCountries where Countries.named(c.uppercased()) == nil {
            throw OptionError("--candidate-country", "'\(c)' is not an ISO 3166-1 alpha-2 country code")
        }
        for t in themes where ThemeVocabulary.canonical(t) == nil {
            throw OptionError("--theme", "unknown theme '\(t)'; closest known: \(ThemeVocabulary.closest(to: t).joined(separator: ", "))")
        }
        excludeSameCountry = !allowSameCountry
        self.minKm = minKm
        self.maxKm = maxKm
        self.minPopulation = minPopulation
        self.maxPopulation = maxPopulation
        self.countries = Set(countries.map { $0.uppercased() })
        self.excludedCountries = Set(excludedCountries.map { $0.uppercased() })
        requiredThemes = themes.compactMap(ThemeVocabulary.canonical)
    }

    /// Whether candidate row `c` passes for query row `q`, reading only the columns each check needs
    /// (a profile is decoded only to check required themes).
    public func admits(query q: Int, candidate c: Int, in list: ProfileList) -> Bool {
        if minPopulation != nil || maxPopulation != nil {
            let population = list.population(c)
            if let minPopulation, population < minPopulation { return false }
            if let maxPopulation, population > maxPopulation { return false }
        }
        if excludeSameCountry || !countries.isEmpty || !excludedCountries.isEmpty {
            let country = list.country(c)
            if excludeSameCountry && list.country(q) == country { return false }
            if !countries.isEmpty && !countries.contains(country) { return false }
            if excludedCountries.contains(country) { return false }
        }
        if minKm != nil || maxKm != nil {
            let d = haversineKm(list.latitude(q), list.longitude(q), list.latitude(c), list.longitude(c))
            if let minKm, d < minKm { return false }
            if let maxKm, d > maxKm { return false }
        }
        if !requiredThemes.isEmpty {
            let all = list[c].allThemes
            if !requiredThemes.allSatisfy(all.contains) { return false }
        }
        return true
    }
}
