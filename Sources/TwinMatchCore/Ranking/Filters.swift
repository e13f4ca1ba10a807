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

    public init() {}

    /// Whether `candidate` passes the checks that do not depend on the query.
    public func admitsCandidate(_ c: CityProfile) -> Bool {
        if let minPopulation, c.population < minPopulation { return false }
        if let maxPopulation, c.population > maxPopulation { return false }
        if !countries.isEmpty && !countries.contains(c.country) { return false }
        if excludedCountries.contains(c.country) { return false }
        if !requiredThemes.isEmpty {
            let all = c.allThemes
            if !requiredThemes.allSatisfy(all.contains) { return false }
        }
        return true
    }

    /// Whether `candidate` passes the checks that depend on the query (country and distance).
    public func admitsPair(_ q: CityProfile, _ c: CityProfile) -> Bool {
        if excludeSameCountry && q.country == c.country { return false }
        if minKm != nil || maxKm != nil {
            let d = haversineKm(q.latitude, q.longitude, c.latitude, c.longitude)
            if let minKm, d < minKm { return false }
            if let maxKm, d > maxKm { return false }
        }
        return true
    }
}
