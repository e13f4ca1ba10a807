import Foundation
import TwinMatchCore

/// The named values of a request: its query parameters, or the members of a JSON body (an array member is
/// a repeated parameter). Each parse takes the names it knows; `finish` refuses any left over, so a
/// misspelt filter is an error rather than silently ignored.
struct RequestValues {
    private var values: [String: [String]]
    /// The names in the order they came, for stable error messages.
    private var order: [String]

    /// The longest value taken (a search text, a list of themes).
    static let maxValueLength = 200
    /// The most values one name may repeat.
    static let maxRepeats = 50

    init(pairs: [(String, String)]) throws {
        var values: [String: [String]] = [:], order: [String] = []
        for (name, value) in pairs {
            guard value.count <= Self.maxValueLength else {
                throw APIError.badParameter(name, "\(name) is longer than \(Self.maxValueLength) characters")
            }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(value)
            if values[name, default: []].count > Self.maxRepeats { throw APIError.badParameter(name, "\(name) is repeated more than \(Self.maxRepeats) times") }
        }
        self.values = values
        self.order = order
    }

    /// The members of a JSON object body: strings, numbers and booleans as they would be written in a
    /// query, arrays of them as repeated values.
    init(jsonBody data: Data) throws {
        let members: [String: BodyValue]
        do { members = try JSONDecoder().decode([String: BodyValue].self, from: data) } catch {
            throw APIError(status: 400, code: "bad_body",
                           "the request body must be a JSON object of strings, numbers, booleans or arrays of them, such as {\"city\": \"3037543\", \"size\": 6}")
        }
        try self.init(pairs: members.keys.sorted().flatMap { name in (members[name]?.texts ?? []).map { (name, $0) } })
    }

    /// A member of a JSON body.
    enum BodyValue: Decodable {
        case text(String), list([String])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let items = try? c.decode([Scalar].self) { self = .list(items.map(\.text)) } else { self = .text(try c.decode(Scalar.self).text) }
        }

        var texts: [String] {
            switch self {
            case .text(let t): return [t]
            case .list(let l): return l
            }
        }
    }

    /// A string, number or boolean, as a query would write it.
    struct Scalar: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { text = b ? "true" : "false" }
            else if let n = try? c.decode(Double.self) { text = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n) }
            else { text = try c.decode(String.self) }
        }
    }

    /// Every value of `name` (taken).
    mutating func all(_ name: String) -> [String] {
        values.removeValue(forKey: name) ?? []
    }

    /// The one value of `name` (taken); given twice is an error.
    mutating func one(_ name: String) throws -> String? {
        let all = all(name)
        guard all.count <= 1 else { throw APIError.badParameter(name, "\(name) is given \(all.count) times; give it once") }
        return all.first
    }

    mutating func double(_ name: String) throws -> Double? {
        guard let text = try one(name) else { return nil }
        guard let x = Double(text), x.isFinite else { throw APIError.badParameter(name, "\(name) must be a number, not '\(text)'") }
        return x
    }

    /// An integer within `range`.
    mutating func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try one(name) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw APIError.badParameter(name, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return n
    }

    /// A flag: absent false; `true`, `1`, `yes` or empty (`?mutual`) true; `false`, `0`, `no` false.
    mutating func flag(_ name: String) throws -> Bool {
        guard let text = try one(name) else { return false }
        switch text.lowercased() {
        case "", "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.badParameter(name, "\(name) must be true or false, not '\(text)'")
        }
    }

    /// One of `choices` (a `RawRepresentable` string enum).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try one(name) else { return nil }
        guard let value = T(rawValue: text.lowercased()) else {
            throw APIError.badParameter(name, "\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return value
    }

    /// Refuses the names no parse took.
    func finish(known: [String]) throws {
        guard let name = order.first(where: { values[$0] != nil }) else { return }
        throw APIError.badParameter(name, "unknown parameter '\(name)'; this endpoint takes \(known.joined(separator: ", "))")
    }

    /// The filter parameters: `recommend`'s options by their long names (see `FilterRequest`).
    static let filterNames = ["mode", "blend", "seeks", "offers", "allow-same-country", "min-km", "max-km", "min-population", "max-population",
                              "candidate-country", "exclude-country", "candidate-region", "candidate-group", "only-open", "theme", "network",
                              "max-nearby", "no-spread", "mutual", "diverse", "relevance", "max-per-country", "mixed-sizes"]

    /// The mode parameters alone (`explain`'s).
    static let modeNames = ["mode", "blend", "seeks", "offers"]

    /// Takes the mode parameters into `r`.
    mutating func modes(into r: inout FilterRequest) throws {
        r.mode = try choice("mode", MatchMode.self) ?? .peer
        r.blend = try one("blend")
        r.seeks = all("seeks")
        r.offers = all("offers")
    }

    /// Takes the filter parameters.
    mutating func filterRequest() throws -> FilterRequest {
        var r = FilterRequest()
        try modes(into: &r)
        r.allowSameCountry = try flag("allow-same-country")
        r.minKm = try double("min-km")
        r.maxKm = try double("max-km")
        r.minPopulation = try double("min-population")
        r.maxPopulation = try double("max-population")
        r.countries = all("candidate-country")
        r.excludedCountries = all("exclude-country")
        r.regions = all("candidate-region")
        r.groups = all("candidate-group")
        r.onlyOpen = try flag("only-open")
        r.themes = all("theme")
        r.networks = all("network")
        r.maxNearby = try int("max-nearby", in: 1...1000)
        r.noSpread = try flag("no-spread")
        r.mutual = try flag("mutual")
        r.diverse = try flag("diverse")
        r.relevance = try double("relevance")
        r.maxPerCountry = try int("max-per-country", in: 1...1000)
        r.mixedSizes = try flag("mixed-sizes")
        return r
    }
}
