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
    /// Only candidates in one of these regions (`CC/code` keys; empty: any), and in one of these areas
    /// (country codes or region keys, from country groups; nil: any). See `Areas`.
    public var regions: Set<String> = []
    public var areas: Set<String>?
    /// Only candidates that say they are open to new partners.
    public var onlyOpen = false
    /// Candidates must have every one of these themes (in themes, offers or seeks).
    public var requiredThemes: [String] = []
    /// Candidates must belong to every one of these networks or programmes (slugs; see `networks(in:)`).
    public var requiredNetworks: [String] = []
    /// What the query states it seeks and offers: not a filter, part of the complement fit.
    public var interests = Interests()
    /// How the score weighs the peer, complement and diaspora fits (not a filter either).
    public var blend = Blend.peer
    /// A list spreads over places: a candidate is passed over while this many listed candidates lie within
    /// `clusterKm` of it (nil: no limit). Passed-over candidates fill the list's end if it runs short.
    public var maxNearby: Int? = 2
    public static let clusterKm = 30.0
    /// How the list is drawn from the ranked pool: per-country cap, mixed sizes, diversity.
    public var shape = ListShape()
    /// Rank by mutual fit (`MutualView`): how well each candidate fits the query and the query it.
    public var mutual = false

    public init() {}

    /// The default filter without the spread: candidates in score order (batch jobs, evaluations).
    public static var byScore: CandidateFilter {
        var f = CandidateFilter()
        f.maxNearby = nil
        return f
    }

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
        if let c = countries.first(where: { c in excludedCountries.contains { $0.uppercased() == c.uppercased() } }) {
            throw OptionError("--exclude-country", "\(c.uppercased()) is both a --candidate-country and an --exclude-country")
        }
        if let minKm, let maxKm, minKm > maxKm { throw OptionError("--min-km", "--min-km \(JSON.number(minKm)) is above --max-km \(JSON.number(maxKm)): no candidate can pass") }
        if let minPopulation, let maxPopulation, minPopulation > maxPopulation {
            throw OptionError("--min-population", "--min-population \(JSON.number(minPopulation)) is above --max-population \(JSON.number(maxPopulation)): no candidate can pass")
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
        if !regions.isEmpty && !regions.contains(list.country(c) + "/" + list.region(c)) { return false }
        if let areas, !Self.lies(c, in: areas, list) { return false }
        if onlyOpen && list.status(c) != .open { return false }
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

extension CandidateFilter {
    /// Whether candidate row `c` belongs to every required network.
    @inline(__always) func admitsNetworks(_ c: Int, _ memberships: Memberships) -> Bool {
        guard !requiredNetworks.isEmpty else { return true }
        let mine = memberships.networks(of: c)
        return requiredNetworks.allSatisfy { slug in memberships.network(named: slug).map(mine.contains) ?? false }
    }

    /// `names` as network slugs of `memberships`: a slug, or a name written as people write it ("Energy
    /// Cities", "URBACT 2nd Chance"); an unknown one is an `OptionError` listing the closest slugs.
    public static func networks(_ names: [String], in memberships: Memberships) throws -> [String] {
        try names.map { name in
            let slug = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
                .split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
            if memberships.network(named: slug) != nil { return slug }
            let closest = memberships.networks.map { ($0, editDistance(slug, $0) - ($0.hasPrefix(slug) || $0.contains(slug) ? 3 : 0)) }
                .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(5).map(\.0)
            throw OptionError("--network", "unknown network '\(name)'; closest: \(closest.joined(separator: ", "))")
        }
    }
}
