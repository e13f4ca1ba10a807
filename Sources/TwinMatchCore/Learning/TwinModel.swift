import Foundation

/// A learned partner model: one weight per `ModelTerm`, in tiers by how many known partners the query has
/// (cold queries with none, then places with one, a few, many). Saved as JSON with a schema version.
///
/// Each term is reported centred: its contribution is `weight × (value − centre)`, the centre being the
/// term's mean over the fitting examples, so a positive contribution means "more than a typical candidate"
/// and the contributions add up to the score. Centring shifts every candidate of a query by the same
/// amount, so it never changes a ranking.
/// The candidate terms that describe a country (`country_places`, `twinning_rate`) as the data a model was
/// fitted on saw them. Ranking another profile set (a region, a dataset with a handful of places from far
/// away) with the same reference keeps those terms meaning what the weights were fitted for.
public struct CountryReference: Codable, Sendable, Equatable {
    /// ln(number of places) per country code.
    public var places: [String: Double]
    /// Smoothed log-odds that a place has a known partner, per `cell(country, lp)`.
    public var twinningRate: [String: Double]
    /// The log-odds for a cell not listed.
    public var baseRate: Double

    /// A country and size band: "DE/9" for lp = log10(population + 100) in [4.5, 5).
    static func cell(_ country: String, _ logPopulation: Float) -> String {
        "\(country)/\(band(logPopulation))"
    }

    /// The size band of `cell`: 2 · lp, at most 63.
    static func band(_ logPopulation: Float) -> Int { min(63, Int(2 * logPopulation)) }

    /// Whether every value is finite and within `TwinModel.largestValue` of 0.
    var isBounded: Bool {
        let ok = TwinModel.admits
        return ok(baseRate) && places.values.allSatisfy(ok) && twinningRate.values.allSatisfy(ok)
    }
}

public struct TwinModel: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 2

    /// The largest magnitude a model file's numbers may have: a fitted model's are below 100, and a larger
    /// weight times a term could overflow a score into an infinity (which no score prints as).
    public static let largestValue = 1e6
    static func admits(_ x: Double) -> Bool { abs(x) <= largestValue } // false for NaN

    /// The weights of the queries with at least `minPartners` known partners (and fewer than the next tier's).
    public struct Tier: Codable, Sendable, Equatable {
        public var minPartners: Int
        /// One weight per term, in the order of `terms`.
        public var weights: [Double]
        /// Per term, the value subtracted before weighting.
        public var centres: [Double]

        public init(minPartners: Int, weights: [ModelTerm: Double], centres: [ModelTerm: Double] = [:]) {
            self.minPartners = minPartners
            self.weights = ModelTerm.allCases.map { weights[$0] ?? 0 }
            self.centres = ModelTerm.allCases.map { centres[$0] ?? 0 }
        }
    }

    public var schemaVersion: Int
    /// Term names, in the order of the weights.
    public var terms: [String]
    /// Ascending `minPartners`, the first 0.
    public var tiers: [Tier]
    /// How the model was fitted (data, split, negatives, regularisation, timings).
    public var provenance: [String: String]
    /// The country terms of the fitting data (absent: each profile set's own are used).
    public var reference: CountryReference?
    /// Where the 0–100 scale puts this model's raw scores (absent: `ModelRanker.defaultScale`).
    public var scale: Calibration?

    /// A logistic 0–100 scale: `centre` shows as 50, `centre ± width · ln 3` as 75 and 25.
    public struct Calibration: Codable, Sendable, Equatable {
        public var centre: Double
        public var width: Double
        /// How the anchors were found.
        public var basis: String
    }

    public init(tiers: [Tier], provenance: [String: String] = [:]) {
        schemaVersion = Self.currentSchemaVersion
        terms = ModelTerm.allCases.map(\.rawValue)
        self.tiers = tiers
        self.provenance = provenance
    }

    /// The same weights for every query.
    public init(weights: [ModelTerm: Double], provenance: [String: String] = [:]) {
        self.init(tiers: [Tier(minPartners: 0, weights: weights)], provenance: provenance)
    }

    /// The engine's content score alone, with the default group weights: the model before any learning.
    public static var contentOnly: TwinModel {
        var w: [ModelTerm: Double] = [:]
        for t in ModelTerm.allCases { if let g = t.group { w[t] = FeatureGroup.defaultWeights[g] } }
        return TwinModel(weights: w, provenance: ["model": "content similarity with the default group weights"])
    }

    /// The tier of a query with `partners` known partners.
    public func tier(partners: Int) -> Int {
        tiers.lastIndex { $0.minPartners <= partners } ?? 0
    }

    public func weights(tier i: Int) -> [ModelTerm: Double] { Self.byTerm(tiers[i].weights) }

    public func centres(tier i: Int) -> [ModelTerm: Double] { Self.byTerm(tiers[i].centres) }

    /// The constant `−Σ weight × centre` that centring adds to every score of a query.
    public func offset(tier i: Int) -> Double {
        -zip(tiers[i].weights, tiers[i].centres).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func byTerm(_ values: [Double]) -> [ModelTerm: Double] {
        var out: [ModelTerm: Double] = [:]
        for (i, t) in ModelTerm.allCases.enumerated() { out[t] = values[i] }
        return out
    }

    /// Reads and checks a model file.
    public static func load(path: String) throws -> TwinModel {
        let data = try InputFile.read(path, what: "the model file")
        _ = try InputText.start(of: [UInt8](data.prefix(64)), file: path)
        struct Version: Decodable { let schemaVersion: Int }
        let version: Version
        do { version = try JSONDecoder().decode(Version.self, from: data) } catch {
            throw modelError(error, data: data, path: path)
        }
        guard version.schemaVersion == currentSchemaVersion else {
            throw InputError(file: path, field: "schemaVersion", "model schema version \(version.schemaVersion) is not the supported version \(currentSchemaVersion); refit it with 'twinmatch fit'")
        }
        let model: TwinModel
        do { model = try JSONDecoder().decode(TwinModel.self, from: data) } catch {
            throw modelError(error, data: data, path: path)
        }
        let expected = ModelTerm.allCases.map(\.rawValue)
        guard model.terms == expected else {
            throw InputError(file: path, field: "terms", "the model has \(model.terms.count) terms (\(model.terms.joined(separator: ", "))), this version expects \(expected.count) (\(expected.joined(separator: ", "))); refit it with 'twinmatch fit'")
        }
        guard model.tiers.first?.minPartners == 0 else {
            throw InputError(file: path, field: "tiers", "the first tier must start at 0 partners")
        }
        if let reference = model.reference, !reference.isBounded {
            throw InputError(file: path, field: "reference", "the model has a value that is not finite or beyond ±\(Int(largestValue))")
        }
        if let scale = model.scale, !(admits(scale.centre) && admits(scale.width) && scale.width > 0) {
            throw InputError(file: path, field: "scale", "the scale's centre (\(scale.centre)) must be a number within ±\(Int(largestValue)) and its width (\(scale.width)) a positive one")
        }
        for (i, tier) in model.tiers.enumerated() {
            if i > 0 && tier.minPartners <= model.tiers[i - 1].minPartners {
                throw InputError(file: path, field: "tiers", "tier \(i + 1) must start above the tier before it (\(tier.minPartners) ≤ \(model.tiers[i - 1].minPartners) partners)")
            }
            for (field, values) in [("weights", tier.weights), ("centres", tier.centres)] {
                guard values.count == expected.count else {
                    throw InputError(file: path, field: "tiers[\(i)].\(field)", "expected \(expected.count) values, found \(values.count)")
                }
                guard values.allSatisfy(admits) else {
                    throw InputError(file: path, field: "tiers[\(i)].\(field)", "\(field) must be finite and within ±\(Int(largestValue))")
                }
            }
        }
        return model
    }

    /// What a decoding failure of a model file is, in words: JSON that does not parse (with the parser's
    /// position), a missing field, or a value of the wrong type, each with its path in the document.
    static func modelError(_ error: Error, data: Data, path: String) -> InputError {
        func at(_ context: DecodingError.Context) -> String? {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? nil : String(keys.drop(while: { $0 == "." }))
        }
        switch error {
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
            return jsonSyntaxError(data, path: path) ?? InputError(file: path, "not valid JSON: \(context.debugDescription)")
        case DecodingError.keyNotFound(let key, let context):
            if key.stringValue == "schemaVersion" && context.codingPath.isEmpty {
                return InputError(file: path, "not a TwinMatch model file (no schemaVersion)")
            }
            return InputError(file: path, field: at(context), "not a TwinMatch model file: no '\(key.stringValue)'")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
            return InputError(file: path, field: at(context), "not a TwinMatch model file: \(context.debugDescription)")
        default:
            return InputError(file: path, "not a TwinMatch model file (\(error))")
        }
    }

    /// The JSON parser's complaint about `data`, at its line and column; a NaN, an Infinity (as Python's
    /// json module writes them) or a number too large for a Double is called what it is, a non-finite weight.
    static func jsonSyntaxError(_ data: Data, path: String) -> InputError? {
        do { _ = try JSONSerialization.jsonObject(with: data); return nil } catch {
            let why = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            if why.contains("not representable") { return InputError(file: path, "weights must be finite: \(why)") }
            guard let r = why.range(of: "around character "), let offset = Int(why[r.upperBound...].prefix(while: \.isNumber)), offset <= data.count else {
                return InputError(file: path, "not valid JSON: \(why)")
            }
            let before = data.prefix(offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let rest = String(decoding: data.dropFirst(offset).prefix(9), as: UTF8.self)
            if ["NaN", "Infinity", "-Infinity"].contains(where: rest.hasPrefix) {
                return InputError(file: path, line: line, "weights must be finite: \(rest.prefix { $0.isLetter || $0 == "-" }) at column \(column) is not a JSON number")
            }
            return InputError(file: path, line: line, "not valid JSON at column \(column): \(why[..<r.lowerBound].trimmingCharacters(in: .whitespaces).lowercased())")
        }
    }

    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
