import Foundation

// Every error the core reports, in one place. Each says where the problem is and what was expected; the
// command-line tool maps them to exit codes and prints their descriptions.

/// A problem in an input file, located by file, line and (where known) field.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let field: String?
    public let message: String

    public init(file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let field { where_ += ": field '\(field)'" }
        return "\(where_): \(message)"
    }
}

/// A place as an error lists it: enough for a person to tell same-named places apart.
public struct CityMatch: Sendable, Equatable, CustomStringConvertible {
    public let id: String
    public let name: String
    public let country: String
    public let population: Double
    /// Where in the country: a US state, or a region code with its largest place ("region 84 with Lyon");
    /// empty when unknown.
    public let region: String
    /// The name that was looked up, when it is one of the place's alternate names rather than its main name.
    public let alsoKnownAs: String?

    public init(id: String, name: String, country: String, population: Double, region: String = "", alsoKnownAs: String? = nil) {
        self.id = id
        self.name = name
        self.country = country
        self.population = population
        self.region = region
        self.alsoKnownAs = alsoKnownAs
    }

    public var description: String {
        "\(name) (\(country)\(region.isEmpty ? "" : ", " + region)), id \(id), population \(Int(population))"
            + (alsoKnownAs.map { ", also known as \($0)" } ?? "")
    }
}

/// A city that a name or an id does not single out.
public enum CityLookupError: Error, CustomStringConvertible, Equatable {
    /// No place has this id.
    case unknownId(String)
    /// No place has this name (in this country); the closest names are listed.
    case unknownName(String, country: String?, closest: [CityMatch])
    /// Several places have this name and none stands out; the largest are listed.
    case ambiguous(String, matches: [CityMatch])
    /// Places have this name, but none in the country asked for; the largest elsewhere are listed.
    case notInCountry(String, country: String, elsewhere: [CityMatch])
    /// The country is not an ISO 3166-1 alpha-2 code; the code it seems to mean, if any.
    case unknownCountry(String, suggestion: String?)
    /// Neither a name nor an id was given.
    case missing

    public var description: String {
        switch self {
        case .unknownId(let id): return "no city has id '\(id)'"
        case .unknownName(let name, let country, let closest):
            return "no city named '\(name)'\(country.map { " in \($0)" } ?? ""). Closest matches:\n" + closest.map { "  \($0)" }.joined(separator: "\n")
        case .ambiguous(let name, let matches):
            return "'\(name)' is ambiguous; add --country or use --id:\n" + matches.map { "  \($0)" }.joined(separator: "\n")
        case .notInCountry(let name, let country, let elsewhere):
            return "no city named '\(name)' in \(country); places of that name in other countries (use their code with --country):\n"
                + elsewhere.map { "  \($0)" }.joined(separator: "\n")
        case .unknownCountry(let raw, let suggestion):
            return "'\(raw)' is not an ISO 3166-1 alpha-2 country code" + (suggestion.map { "; use \($0)" } ?? "")
        case .missing: return "give a city: --city NAME [--country ISO2] or --id ID"
        }
    }
}

/// An option value the core cannot use (the command-line tool names the option).
public struct OptionError: Error, CustomStringConvertible, Equatable {
    public let option: String
    public let message: String

    public init(_ option: String, _ message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "\(option): \(message)" }
}
