import ArgumentParser
import Foundation
import TwinMatchCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

extension MatchMode: ExpressibleByArgument {}
extension RowErrorPolicy: ExpressibleByArgument {}

/// What ships with the package, found beside the sources or the built binary: the default dataset (built
/// by `scripts/setup.sh`), the model, the public partnerships and the country-level migration table.
enum Shipped {
    static var root: URL {
        let here = URL(fileURLWithPath: #filePath)
        let candidates = [here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                              .appendingPathComponent("../../..").standardizedFileURL]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("datasets/reference").path) } ?? candidates[0]
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The default dataset: the world's places with the reference extracts, as an index.
    static var index: String { path("datasets/world.idx") }
    static var model: String { path("models/default.json") }
    static var knownPairs: String { path("datasets/reference/twin_pairs.csv") }
    static var migration: String { path("datasets/reference/\(CountryMigration.shippedFile)") }
    static var reference: String { path("datasets/reference") }
    static var outlines: String { path("datasets/reference/\(CountryOutlines.shippedFile)") }

    /// The default index, or an error saying how to build it.
    static func defaultIndex() throws -> String {
        guard FileManager.default.fileExists(atPath: index) else {
            throw InputError(file: index, kind: .noInput, "the default dataset is not built yet: run scripts/setup.sh (or give --profiles FILE or --index FILE)")
        }
        return index
    }

    /// The country outlines maps are drawn with.
    static func countryOutlines() throws -> CountryOutlines { try CountryOutlines.read(path: outlines) }

    /// The country-level migration table profiles files are read with.
    static func countryMigration() throws -> CountryMigration {
        try CountryMigration.read(path: migration)
    }
}

/// Options every command that reads profiles takes.
struct ProfileOptions: ParsableArguments {
    @Option(help: "City profiles, CSV or JSON Lines (default: the world dataset datasets/world.idx that scripts/setup.sh builds).")
    var profiles: String?

    @Option(help: "A binary index from `twinmatch index`, memory-mapped instead of reading --profiles.")
    var index: String?

    @Flag(help: "Treat unknown themes as errors instead of warnings.")
    var strict = false

    @Flag(help: "Print every loading warning instead of a summary; tables also show the raw score and terms.")
    var verbose = false

    @Option(help: "What a --profiles row that cannot be used (a missing or malformed field, a duplicate id) does: fail (stop, exit 65) or skip (leave it out; the count and the first reasons go to standard error).")
    var onError: RowErrorPolicy = .fail

    /// The corpus of --profiles (with the shipped country-level migration links), --index or the default
    /// dataset, with loading warnings on standard error.
    func load() throws -> Corpus {
        if let index {
            if profiles != nil { throw ValidationError("give --profiles or --index, not both") }
            return try Corpus.open(index: index)
        }
        guard let profiles else { return try Corpus.open(index: try Shipped.defaultIndex()) }
        let corpus = try Corpus.load(profiles: profiles, strict: strict, onError: onError, migration: try Shipped.countryMigration())
        if let summary = corpus.profiles.skipped.summary(of: profiles) { note(summary) }
        let warnings = corpus.profiles.warnings
        let shown = verbose ? warnings : Array(warnings.prefix(5))
        for w in shown { FileHandle.standardError.write(Data("warning: \(terminalSafe("\(w)"))\n".utf8)) }
        if warnings.count > shown.count {
            FileHandle.standardError.write(Data("warning: … and \(warnings.count - shown.count) more warnings (--verbose lists them)\n".utf8))
        }
        return corpus
    }
}

/// Options of how to score: group weights.
struct ScoringOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Group weights over the defaults, e.g. themes=0.4,size=0.1.",
                               discussion: "Groups: \(FeatureGroup.allCases.map { "\($0.rawValue) (\(FeatureGroup.defaultWeights[$0]!))" }.joined(separator: ", "))."))
    var weights: String?

    func groupWeights() throws -> GroupWeights {
        guard let weights else { return GroupWeights() }
        return try GroupWeights.parse(weights)
    }
}

/// Which candidates to consider.
struct FilterOptions: ParsableArguments {
    @Flag(help: "Allow candidates in the query's own country (excluded by default).")
    var allowSameCountry = false
    @Option(help: "Only candidates at most this far away, km.") var maxKm: Double?
    @Option(help: "Only candidates at least this far away, km.") var minKm: Double?
    @Option(help: "Only candidates with at least this population.") var minPopulation: Double?
    @Option(help: "Only candidates with at most this population.") var maxPopulation: Double?
    @Option(name: .customLong("candidate-country"), help: "Only candidates in this country (ISO2; repeatable). (--country names the query city's own country.)") var countries: [String] = []
    @Option(name: .customLong("exclude-country"), help: "No candidates in this country (ISO2; repeatable).") var excludedCountries: [String] = []
    @Option(name: .customLong("candidate-region"), help: "Only candidates in this first-level region: a name (Piedmont, \"Rhone-Alpes,FR\") or CC/CODE (IT/12); repeatable.") var regions: [String] = []
    @Option(name: .customLong("candidate-group"), help: "Only candidates in this group of countries: eu, council-of-europe, eea, efta, schengen, alpine-convention, eastern-partnership, western-balkans, nordic-council, union-for-the-mediterranean (repeatable).") var groups: [String] = []
    @Flag(help: "Only candidates whose profile says they are open to new partners (status open).") var onlyOpen = false
    @Option(name: .customLong("theme"), help: "Candidates must have this theme (repeatable).") var themes: [String] = []
    @OptionGroup var modes: ModeOptions
    @Option(name: .customLong("network"), help: "Candidates must belong to this city network or programme (slug or name, e.g. energy-cities, \"Intercultural Cities\"; repeatable).") var networks: [String] = []
    @Option(help: "Spread the list: pass over a candidate while this many listed ones lie within 30 km of it (default 2 for recommend; batch ranks by score alone unless given).") var maxNearby: Int?
    @Flag(help: "Do not spread the list (let it cluster around one place).") var noSpread = false
    @Flag(help: "Rank by mutual fit: how well each candidate fits the city and the city fits it, with where the city stands in the candidate's own list (see README, Mutual fit).")
    var mutual = false
    @Flag(help: "A diverse list: maximal marginal relevance over the candidates' profiles, so the list spreads over countries, sizes and profiles.")
    var diverse = false
    @Option(help: "With --diverse: the weight of relevance against diversity, from 0 (most different) to 1 (score order); default 0.5.")
    var relevance: Double?
    @Option(help: "At most this many candidates from one country.") var maxPerCountry: Int?
    @Flag(help: "Cover every size band the candidates have: small (under 50,000), medium (to 250,000), large.") var mixedSizes = false

    func validate() throws {
        do { _ = try checkedFilter() } catch let error as OptionError { throw ValidationError(error.message) }
    }

    /// What these options ask for, as the core takes it.
    var request: FilterRequest {
        var r = FilterRequest()
        r.allowSameCountry = allowSameCountry
        (r.minKm, r.maxKm, r.minPopulation, r.maxPopulation) = (minKm, maxKm, minPopulation, maxPopulation)
        (r.countries, r.excludedCountries, r.regions, r.groups) = (countries, excludedCountries, regions, groups)
        (r.onlyOpen, r.themes, r.networks) = (onlyOpen, themes, networks)
        modes.set(&r)
        (r.maxNearby, r.noSpread, r.mutual, r.diverse, r.relevance) = (maxNearby, noSpread, mutual, diverse, relevance)
        (r.maxPerCountry, r.mixedSizes) = (maxPerCountry, mixedSizes)
        return r
    }

    /// The checked filter with its networks resolved among `corpus`'s and its regions and country groups
    /// among the shipped tables (an unknown one is a usage error).
    func filter(for corpus: Corpus) throws -> CandidateFilter {
        var f = try checkedFilter()
        do { f.requiredNetworks = try CandidateFilter.networks(networks, in: corpus.memberships) } catch let error as OptionError {
            throw ValidationError(error.message)
        }
        try resolveAreas(&f)
        return f
    }

    /// Sets `f`'s regions and country groups from the shipped tables (an unknown one is a usage error).
    func resolveAreas(_ f: inout CandidateFilter) throws {
        do { try request.resolveAreas(&f, areas: { try Areas.read(directory: Shipped.reference) }) } catch let error as OptionError {
            throw ValidationError(error.message)
        }
    }

    /// The filter checked without a corpus (distances, sizes, countries, themes, modes, shape).
    func checkedFilter(spreadByDefault: Bool = true) throws -> CandidateFilter {
        try request.checkedFilter(spreadByDefault: spreadByDefault)
    }
}

/// How a score weighs the peer, complement and diaspora fits: --mode or --blend, with stated interests.
struct ModeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How candidates fit: peer (like us, twins like us; the default), complement (offers what we seek, seeks what we offer), diaspora (migration links between the countries).",
                               discussion: "complement weighs its fit 2 beside the peer score's 1, diaspora 1; see README, Matching modes."))
    var mode: MatchMode = .peer
    @Option(help: ArgumentHelp("Weights of the fits instead of --mode, e.g. peer=1,complement=0.5,diaspora=0.5.",
                               discussion: "A full complement or diaspora fit adds 4 ln 3 × the model scale's width to the raw score, times its weight."))
    var blend: String?
    @Option(help: ArgumentHelp("A theme the city wants to learn about (repeatable): candidates that offer it, or work on it, rank higher.",
                               discussion: "Not a filter: with --offers, it replaces the city's own seeks and offers in the complement fit, weighed 2 as in the complement mode (see README, Matching modes)."))
    var seeks: [String] = []
    @Option(help: "A theme the city has know-how to share (repeatable): candidates that seek it, or work on it, rank higher.") var offers: [String] = []

    /// Sets the mode, blend and stated interests of `request`.
    func set(_ request: inout FilterRequest) {
        (request.mode, request.blend, request.seeks, request.offers) = (mode, blend, seeks, offers)
    }

    /// Sets `filter`'s interests and blend (an `OptionError` names a bad option).
    func apply(to f: inout CandidateFilter) throws {
        var r = FilterRequest()
        set(&r)
        try r.applyModes(to: &f)
    }
}

/// Options naming the one city a command is about: --city NAME [--country ISO2] or --id ID.
struct CityOptions: ParsableArguments {
    @Option(help: "The city's name, as people write it (München, Muenchen and Munich alike), or NAME,ISO2 (e.g. Frankfurt,DE).") var city: String?
    @Option(help: "The city's country (ISO2), to tell same-named cities apart.") var country: String?
    @Option(help: "The city's id.") var id: String?

    func validate() throws {
        if city == nil && id == nil { throw ValidationError("give a city: --city NAME [--country ISO2] or --id ID") }
    }

    /// The row of the city these options name.
    func resolve(_ set: ProfileSet) throws -> Int { try resolveCity(set, name: city, country: country, id: id) }
}

/// Finds a city by name (optionally within a country) or by id, telling on standard error when a shared
/// name was taken to mean one place or a country code was read as another.
func resolveCity(_ set: ProfileSet, name: String?, country: String?, id: String?) throws -> Int {
    report(try set.resolve(name: name, country: country, id: id))
}

/// Finds a city written as an id, `NAME,ISO2` or a name.
func resolveCity(_ set: ProfileSet, _ text: String) throws -> Int {
    report(try set.resolve(text))
}

private func report(_ found: ResolvedCity) -> Int {
    for note in found.notes { FileHandle.standardError.write(Data("note: \(terminalSafe(note))\n".utf8)) }
    return found.row
}
