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

    public var description: String { "\(name) (\(country)), id \(id), population \(Int(population))" }
}

/// A city that a name or an id does not single out.
public enum CityLookupError: Error, CustomStringConvertible, Equatable {
    /// No place has this id.
    case unknownId(String)
    /// No place has this name (in this country); the closest names are listed.
    case unknownName(String, country: String?, closest: [CityMatch])
    /// Several places have this name and none stands out; the largest are listed.
    case ambiguous(String, matches: [CityMatch])
    /// Neither a name nor an id was given.
    case missing

    public var description: String {
        switch self {
        case .unknownId(let id): return "no city has id '\(id)'"
        case .unknownName(let name, let country, let closest):
            return "no city named '\(name)'\(country.map { " in \($0)" } ?? ""). Closest matches:\n" + closest.map { "  \($0)" }.joined(separator: "\n")
        case .ambiguous(let name, let matches):
            return "'\(name)' is ambiguous; add --country or use --id:\n" + matches.map { "  \($0)" }.joined(separator: "\n")
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
