import ArgumentParser
import Foundation
import TwinMatchCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// The embedded default dataset: `datasets/europe.csv` of this package.
enum DefaultDataset {
    static var path: String {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.appendingPathComponent("datasets/europe.csv").path,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                              .appendingPathComponent("../../../datasets/europe.csv").standardizedFileURL.path]
        return candidates.first(where: FileManager.default.fileExists(atPath:)) ?? candidates[0]
    }
}

/// Options every command that reads profiles takes.
struct ProfileOptions: ParsableArguments {
    @Option(help: "City profiles, CSV or JSON Lines (default: the embedded European dataset).")
    var profiles: String?

    @Option(help: "A binary index from `twinmatch index`, memory-mapped instead of reading --profiles.")
    var index: String?

    @Flag(help: "Treat unknown themes as errors instead of warnings.")
    var strict = false

    @Flag(help: "Print every loading warning instead of a summary.")
    var verbose = false

    /// The corpus of --profiles (default: the embedded dataset) or --index, with loading warnings on
    /// standard error.
    func load() throws -> Corpus {
        if let index {
            if profiles != nil { throw ValidationError("give --profiles or --index, not both") }
            return try Corpus.open(index: index)
        }
        let corpus = try Corpus.load(profiles: profiles ?? DefaultDataset.path, strict: strict)
        let warnings = corpus.profiles.warnings
        let shown = verbose ? warnings : Array(warnings.prefix(5))
        for w in shown { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
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
    @Option(name: .customLong("theme"), help: "Candidates must have this theme (repeatable).") var themes: [String] = []

    func validate() throws {
        do { _ = try checkedFilter() } catch let error as OptionError { throw ValidationError(error.message) }
    }

    /// The filter these options describe (validated: distances and sizes non-negative, known countries and themes).
    func checkedFilter() throws -> CandidateFilter {
        try CandidateFilter(allowSameCountry: allowSameCountry, minKm: minKm, maxKm: maxKm, minPopulation: minPopulation,
                            maxPopulation: maxPopulation, countries: countries, excludedCountries: excludedCountries, themes: themes)
    }
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
    for note in found.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
    return found.row
}
