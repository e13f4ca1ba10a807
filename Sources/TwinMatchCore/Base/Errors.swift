import Foundation

// Every error the core reports, in one place. Each says where the problem is and what was expected; the
// command-line tool ends with the exit status of its `FailureKind` and prints its description.

/// What kind of failure an error is; the raw value is the exit status (sysexits.h) the command-line tool
/// ends with.
public enum FailureKind: Int32, Sendable, Equatable, CaseIterable {
    /// The command was used wrongly: an unknown or malformed option, options that exclude each other.
    case usage = 64
    /// An input's content is wrong: a malformed profile, pair, id list, `.npy`, model or index.
    case data = 65
    /// An input cannot be opened: not found, a directory, permission denied.
    case noInput = 66
    /// The internal state is inconsistent (a numerical routine failed): a defect to report.
    case software = 70
    /// An output cannot be created (its folder is missing or not writable).
    case cannotCreate = 73
    /// Reading or writing failed part-way.
    case io = 74
    /// Interrupted by SIGINT (128 + 2).
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15).
    case terminated = 143
}

/// An error that knows its `FailureKind`.
public protocol ClassifiedError: Error {
    var kind: FailureKind { get }
}

/// A problem in an input file, located by file, line and (where known) field.
public struct InputError: ClassifiedError, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let field: String?
    public let message: String
    /// `.data` unless the file could not be opened (`.noInput`), written (`.cannotCreate`) or read (`.io`).
    public let kind: FailureKind

    public init(file: String, line: Int? = nil, field: String? = nil, kind: FailureKind = .data, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.kind = kind
        self.message = message
    }

    /// The error of a file that `errno` says cannot be opened: not found, permission denied, …
    public static func unreadable(_ path: String, errno code: Int32, what: String = "the file") -> InputError {
        let why: String
        switch code {
        case ENOENT: why = "not found"
        case EACCES, EPERM: why = "permission denied"
        case EISDIR: why = "a directory, not a file"
        case ENOTDIR: why = "not found (a part of the path is not a folder)"
        default: why = String(cString: strerror(code))
        }
        return InputError(file: path, kind: .noInput, "cannot read \(what): \(why)")
    }

    /// The error of an output that cannot be created; `errno` says why.
    public static func uncreatable(_ path: String, errno code: Int32) -> InputError {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let why: String
        switch code {
        case ENOENT where !FileManager.default.fileExists(atPath: folder): why = "its folder does not exist"
        case EACCES, EPERM: why = "permission denied"
        case EISDIR: why = "a directory is in the way"
        default: why = String(cString: strerror(code))
        }
        return InputError(file: path, kind: .cannotCreate, "cannot create the output: \(why)")
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
public enum CityLookupError: ClassifiedError, CustomStringConvertible, Equatable {
    /// A city option that names no single place is a usage error: the option must change.
    public var kind: FailureKind { .usage }

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
public struct OptionError: ClassifiedError, CustomStringConvertible, Equatable {
    public var kind: FailureKind { .usage }
    public let option: String
    public let message: String

    public init(_ option: String, _ message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "\(option): \(message)" }
}

/// Input files as the core opens them: a missing, unreadable or directory path is a `.noInput` error that
/// says which, before any content is read.
public enum InputFile {
    /// Fails unless `path` is a regular file (or a device or pipe) this process may read.
    public static func check(_ path: String, what: String = "the file") throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw InputError.unreadable(path, errno: errno, what: what) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw InputError.unreadable(path, errno: EISDIR, what: what) }
        guard access(path, R_OK) == 0 else { throw InputError.unreadable(path, errno: errno, what: what) }
    }

    /// The bytes of `path`, checked as `check` does; a read that fails part-way is an `.io` error.
    public static func read(_ path: String, what: String = "the file") throws -> Data {
        try check(path, what: what)
        // An empty regular file has nothing to read (and Foundation's reader would leak its buffer on it); a
        // pipe or a device reports size 0 too, so only a regular file is taken at its word.
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size == 0 { return Data() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, kind: .io, "cannot read \(what): \(String(cString: strerror(errno)))")
        }
        return data
    }
}

extension LinearAlgebraError: ClassifiedError {
    public var kind: FailureKind {
        switch self {
        case .io: return .noInput
        case .lapack: return .data
        }
    }
}
