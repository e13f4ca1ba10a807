import Foundation

/// What a person asks of a candidate list, as they write it: the options of `recommend` (and of a server's
/// query parameters, which carry the same names without the dashes), before they are checked. `filter`
/// turns it into a `CandidateFilter`, checked; an `OptionError` names the option that is wrong.
public struct FilterRequest: Sendable, Equatable {
    public var allowSameCountry = false
    public var minKm: Double?
    public var maxKm: Double?
    public var minPopulation: Double?
    public var maxPopulation: Double?
    /// ISO2 codes (`--candidate-country`, `--exclude-country`).
    public var countries: [String] = []
    public var excludedCountries: [String] = []
    /// Region names or CC/CODE (`--candidate-region`) and country-group slugs (`--candidate-group`).
    public var regions: [String] = []
    public var groups: [String] = []
    public var onlyOpen = false
    public var themes: [String] = []
    public var networks: [String] = []
    public var mode = MatchMode.peer
    /// `--blend` as written (`peer=1,complement=0.5`), instead of `mode`.
    public var blend: String?
    public var seeks: [String] = []
    public var offers: [String] = []
    /// nil: the default spread (2 within 30 km) when `spreadByDefault`.
    public var maxNearby: Int?
    public var noSpread = false
    public var mutual = false
    public var diverse = false
    public var relevance: Double?
    public var maxPerCountry: Int?
    public var mixedSizes = false

    public init() {}

    /// The filter, checked without a corpus: distances, populations, countries, themes, modes and shape.
    /// `spreadByDefault`: whether a list is spread over places unless `noSpread` (recommend's default).
    public func checkedFilter(spreadByDefault: Bool = true) throws -> CandidateFilter {
        var f = try CandidateFilter(allowSameCountry: allowSameCountry, minKm: minKm, maxKm: maxKm, minPopulation: minPopulation,
                                    maxPopulation: maxPopulation, countries: countries, excludedCountries: excludedCountries, themes: themes,
                                    maxNearby: noSpread ? nil : maxNearby ?? (spreadByDefault ? 2 : nil))
        try applyModes(to: &f)
        f.mutual = mutual
        f.onlyOpen = onlyOpen
        if relevance != nil && !diverse { throw OptionError("--relevance", "--relevance applies with --diverse") }
        if let relevance, !(relevance >= 0 && relevance <= 1) { throw OptionError("--relevance", "--relevance must be between 0 and 1") }
        if let maxPerCountry, maxPerCountry < 1 { throw OptionError("--max-per-country", "--max-per-country must be at least 1") }
        f.shape = ListShape(maxPerCountry: maxPerCountry, mixedSizes: mixedSizes, relevance: diverse ? relevance ?? ListShape.defaultRelevance : nil)
        return f
    }

    /// Sets `f`'s stated interests and blend: `blend` or the `mode` preset.
    public func applyModes(to f: inout CandidateFilter) throws {
        f.interests = try Interests(seeks: seeks, offers: offers)
        if let blend {
            if mode != .peer { throw OptionError("--blend", "give --mode or --blend, not both") }
            f.blend = try Blend(parsing: blend)
        } else {
            f.blend = Blend.mode(mode, statedInterests: !f.interests.isEmpty)
        }
    }

    /// The checked filter with its networks resolved among `corpus`'s and its regions and country groups
    /// among `areas` (read only when some are asked for).
    public func filter(for corpus: Corpus, areas: () throws -> Areas, spreadByDefault: Bool = true) throws -> CandidateFilter {
        var f = try checkedFilter(spreadByDefault: spreadByDefault)
        f.requiredNetworks = try CandidateFilter.networks(networks, in: corpus.memberships)
        try resolveAreas(&f, areas: areas)
        return f
    }

    /// Sets `f`'s regions and country groups from `areas` (read only when some are asked for).
    public func resolveAreas(_ f: inout CandidateFilter, areas: () throws -> Areas) throws {
        guard !regions.isEmpty || !groups.isEmpty else { return }
        let known = try areas()
        f.regions = try regions.reduce(into: Set<String>()) { $0.formUnion(try known.regionKeys($1)) }
        if !groups.isEmpty { f.areas = try known.groupMembers(groups) }
    }
}
