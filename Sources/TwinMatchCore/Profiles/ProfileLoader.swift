import Foundation

/// Reads city profiles from CSV (with a header) or JSON Lines, validating every field.
///
/// Required fields: `id, name, country, lat, lon, population`. Optional: `region, name_variants, alternate_names,
/// languages, themes, offers, seeks, migration_links, networks, partners, sources, status`. See `datasets/README.md` for the formats.
/// Every error names the file, the line and the field.
public struct ProfileLoader {
    /// Treat unknown themes as errors instead of warnings.
    public var strict: Bool
    /// What a row that cannot be used does: stops the load with its error, or is skipped and counted
    /// (`ProfileSet.skipped`). The header, and a file the CSV reader cannot split (a stray quote), always stop it.
    public var onError = RowErrorPolicy.fail

    public static let requiredFields = ["id", "name", "country", "lat", "lon", "population"]
    public static let optionalFields = ["region", "name_variants", "alternate_names", "languages", "themes", "offers", "seeks", "migration_links", "networks", "partners", "sources", "status"]

    public init(strict: Bool = false, onError: RowErrorPolicy = .fail) {
        self.strict = strict
        self.onError = onError
    }

    /// Loads `path`: JSON Lines when it ends in `.jsonl` or `.ndjson`, CSV otherwise.
    public func load(path: String) throws -> ProfileSet {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return try loadJSONLines(path: path) }
        return try loadCSV(path: path)
    }

    public func loadCSV(path: String) throws -> ProfileSet {
        let records = try CSVReader.read(path: path)
        guard let header = records.first else { throw InputError(file: path, "the file is empty: expected a header line with \(Self.requiredFields.joined(separator: ", "))") }
        let names = header.fields.map { trimSpaces($0).lowercased() }
        for required in Self.requiredFields where !names.contains(required) {
            throw InputError(file: path, line: header.line, field: required, "missing column in the header (required: \(Self.requiredFields.joined(separator: ", ")))")
        }
        var column: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if column[n] != nil { throw InputError(file: path, line: header.line, field: n, "column appears twice in the header") }
            column[n] = i
        }
        var builder = Builder(file: path, strict: strict, onError: onError)
        for record in records.dropFirst() {
            try builder.row(line: record.line) {
                guard record.fields.count == names.count else {
                    throw InputError(file: path, line: record.line, "expected \(names.count) fields as in the header, found \(record.fields.count)")
                }
                return { field in column[field].map { record.fields[$0] } ?? "" }
            }
        }
        return builder.finish()
    }

    public func loadJSONLines(path: String) throws -> ProfileSet {
        var bytes = [UInt8](try InputFile.read(path))
        bytes.removeFirst(try InputText.start(of: bytes, file: path))
        var builder = Builder(file: path, strict: strict, onError: onError)
        var lineNumber = 0
        var sawAny = false
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = lineNumber
            guard let text = String(validating: slice, as: UTF8.self) else {
                try builder.skipped.handle(InputError(file: path, line: line, "invalid UTF-8"))
                continue
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            sawAny = true
            try builder.row(line: line) {
                let object: [String: Any]
                do {
                    guard let parsed = try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                        throw InputError(file: path, line: line, "expected a JSON object")
                    }
                    object = parsed
                } catch let error as InputError { throw error } catch {
                    throw InputError(file: path, line: line, "not valid JSON")
                }
                return { field in
                    if field == "alternate_names" { try Self.checkNameList(object[field], file: path, line: line) }
                    return try Self.jsonText(object[field], file: path, line: line, field: field)
                }
            }
        }
        if !sawAny { throw InputError(file: path, "the file is empty: expected one JSON object per line") }
        return builder.finish()
    }

    /// Alternate names in JSON are a `;`-separated string or an array of strings, none containing `;`.
    static func checkNameList(_ value: Any?, file: String, line: Int) throws {
        let field = "alternate_names"
        switch value {
        case nil, is NSNull, is String: return
        case let a as [Any]:
            for item in a {
                guard let name = item as? String else { throw InputError(file: file, line: line, field: field, "expected an array of names (strings)") }
                if name.unicodeScalars.contains(";") { throw InputError(file: file, line: line, field: field, "'\(name)' contains ';', the list separator") }
            }
        default: throw InputError(file: file, line: line, field: field, "expected names: a ';'-separated string or an array of strings")
        }
    }

    /// A JSON value as the CSV text it stands for: numbers as numbers, arrays joined with `;`,
    /// objects (theme or migration weights) as `key:value;…`.
    static func jsonText(_ value: Any?, file: String, line: Int, field: String) throws -> String {
        switch value {
        case nil, is NSNull: return ""
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        case let a as [Any]: return try a.map { try jsonText($0, file: file, line: line, field: field) }.joined(separator: ";")
        case let o as [String: Any]:
            return try o.keys.sorted().map { "\($0):\(try jsonText(o[$0], file: file, line: line, field: field))" }.joined(separator: ";")
        default: throw InputError(file: file, line: line, field: field, "unsupported JSON value")
        }
    }
}

/// Builds validated profiles one record at a time.
struct Builder {
    let file: String
    let strict: Bool
    var profiles: [CityProfile] = []
    var seen: [String: Int] = [:]
    var warnings: [ProfileWarning] = []
    var skipped: SkippedRows

    init(file: String, strict: Bool, onError: RowErrorPolicy = .fail) {
        self.file = file
        self.strict = strict
        skipped = SkippedRows(policy: onError)
    }

    /// Adds the row at `line` whose fields `record` gives (it may throw for a malformed record); a row
    /// that fails goes to `skipped`, with the warnings it raised taken back.
    mutating func row(line: Int, _ record: () throws -> (String) throws -> String) throws {
        let warned = warnings.count
        do { try add(line: line, try record()) } catch let error as InputError where error.kind == .data {
            warnings.removeSubrange(warned...)
            try skipped.handle(error)
        }
    }

    mutating func add(line: Int, _ get: (String) throws -> String) throws {
        func fail(_ field: String, _ message: String) -> InputError { InputError(file: file, line: line, field: field, message) }
        func text(_ field: String) throws -> String { try trimSpaces(get(field)) }
        func required(_ field: String) throws -> String {
            let v = try text(field)
            if v.isEmpty { throw fail(field, "required value is empty") }
            return v
        }
        func number(_ field: String, in range: ClosedRange<Double>) throws -> Double {
            let raw = try required(field)
            guard let v = Double(raw) else { throw fail(field, "'\(raw)' is not a number") }
            guard v.isFinite else { throw fail(field, "'\(raw)' is not a finite number") }
            guard range.contains(v) else { throw fail(field, "\(raw) is out of range \(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        func list(_ field: String) throws -> [String] {
            var out: [String] = []
            // Split on the scalar: a `;` before a combining sign (as in Sinhala names) is one Character with it.
            for item in try text(field).unicodeScalars.split(separator: ";") {
                let s = trimSpaces(String(item))
                if !s.isEmpty && !out.contains(s) { out.append(s) }
            }
            return out
        }
        func theme(_ raw: String, _ field: String) throws -> String {
            if let c = ThemeVocabulary.canonical(raw) { return c }
            let hint = "unknown theme '\(raw)'; closest known: \(ThemeVocabulary.closest(to: raw).joined(separator: ", "))"
            if strict { throw fail(field, hint) }
            warnings.append(ProfileWarning(file: file, line: line, field: field, message: hint + " (kept as a theme of its own)"))
            return ThemeVocabulary.normalise(raw)
        }
        func weighted(_ field: String, key: (String) throws -> String) throws -> [Weighted] {
            var out: [Weighted] = []
            for item in try list(field) {
                // Empty pieces kept, so ":0.5" and ":" have an empty key (split's default would drop it, and
                // leave ":" no parts at all); "youth:" stays youth with weight 1.
                let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { trimSpaces($0) }
                guard !parts[0].isEmpty else { throw fail(field, "'\(item)' names nothing before its ':'") }
                let k = try key(parts[0])
                var w = 1.0
                if parts.count == 2, !parts[1].isEmpty {
                    guard let v = Double(parts[1]), v.isFinite else { throw fail(field, "weight '\(parts[1])' of '\(parts[0])' is not a number") }
                    guard v > 0 && v <= 1 else { throw fail(field, "weight \(parts[1]) of '\(parts[0])' must be in (0, 1]") }
                    w = v
                }
                if let existing = out.firstIndex(where: { $0.key == k }) { out[existing].weight = max(out[existing].weight, w) } else { out.append(Weighted(k, w)) }
            }
            return out
        }
        func country(_ raw: String, _ field: String) throws -> String {
            let code = raw.uppercased()
            guard code.count == 2, Countries.named(code) != nil else {
                let hint = code == "UK" ? " (use GB)" : code == "EL" ? " (use GR)" : ""
                throw fail(field, "'\(raw)' is not an ISO 3166-1 alpha-2 country code\(hint)")
            }
            return code
        }

        let id = try required("id")
        // Partners are listed by id, separated by ';': an id holding one could never be named as a partner.
        if id.unicodeScalars.contains(";") { throw fail("id", "'\(id)' contains ';', the separator of partner lists") }
        if let first = seen[id] { throw fail("id", "duplicate id '\(id)' (first on line \(first))") }
        let name = try required("name")
        let countryCode = try country(try required("country"), "country")
        let lat = try number("lat", in: CityProfile.latitudes)
        let lon = try number("lon", in: CityProfile.longitudes)
        let population = try number("population", in: CityProfile.populations)
        var languages: [String] = []
        for l in try list("languages") {
            let code = l.lowercased()
            guard code.count == 2, code.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { throw fail("languages", "'\(l)' is not an ISO 639-1 code (two letters)") }
            if !languages.contains(code) { languages.append(code) }
        }
        let themes = try weighted("themes") { try theme($0, "themes") }
        var offers: [String] = [], seeks: [String] = []
        for t in try list("offers") { let c = try theme(t, "offers"); if !offers.contains(c) { offers.append(c) } }
        for t in try list("seeks") { let c = try theme(t, "seeks"); if !seeks.contains(c) { seeks.append(c) } }
        let migration = try weighted("migration_links") { try country($0, "migration_links") }
        // Two spellings of one network ("Eurocities", "eurocities") are one slug, listed once.
        var networks: [String] = []
        for n in try list("networks").map(ThemeVocabulary.normalise) where !networks.contains(n) { networks.append(n) }
        let partners = try list("partners").filter { $0 != id }

        seen[id] = line
        var profile = CityProfile(id: id, name: name, country: countryCode, region: try text("region"),
                                  latitude: lat, longitude: lon, population: population, languages: languages,
                                  themes: themes, offers: offers, seeks: seeks, migrationLinks: migration,
                                  networks: networks, partners: partners)
        profile.sources = try list("sources")
        let variants = try text("name_variants")
        if !variants.isEmpty {
            guard let v = Int(variants), v >= 0 else { throw fail("name_variants", "'\(variants)' is not a whole number of names (0 or more)") }
            profile.nameVariants = v
        }
        for alternate in try list("alternate_names") {
            if let problem = AlternateNames.problem(alternate) { throw fail("alternate_names", problem) }
            profile.alternateNames.append(alternate)
        }
        let status = try text("status").lowercased()
        if !status.isEmpty {
            guard let s = Availability(rawValue: status) else {
                throw fail("status", "'\(status)' is not a status: open (to new partners), complete or inactive")
            }
            profile.status = s
        }
        profiles.append(profile)
    }

    func finish() -> ProfileSet {
        var profiles = self.profiles
        var warnings = self.warnings
        // Partnerships are symmetric: add the missing direction, and warn about partners not in the file.
        var rowById: [String: Int] = [:]
        for (row, p) in profiles.enumerated() { rowById[p.id] = row }
        for row in profiles.indices {
            for partner in profiles[row].partners {
                if let other = rowById[partner] {
                    if !profiles[other].partners.contains(profiles[row].id) { profiles[other].partners.append(profiles[row].id) }
                } else {
                    warnings.append(ProfileWarning(file: file, line: seen[profiles[row].id] ?? 0, field: "partners",
                                                   message: "partner id '\(partner)' is not in the file (ignored)"))
                }
            }
        }
        for row in profiles.indices { profiles[row].partners.removeAll { rowById[$0] == nil } }
        var set = ProfileSet(profiles: profiles, warnings: warnings, source: file)
        set.skipped = skipped
        return set
    }
}
