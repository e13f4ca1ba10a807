import Foundation

/// A learned partner model: one weight per `ModelTerm`, one set for warm queries (with known partners)
/// and one for cold queries. Saved as JSON with a schema version.
///
/// Each term is reported centred: its contribution is `weight × (value − centre)`, the centre being the
/// term's mean over the fitting examples, so a positive contribution means "more than a typical candidate"
/// and the contributions add up to the score. Centring shifts every candidate of a query by the same
/// amount, so it never changes a ranking.
public struct TwinModel: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// Term names, in the order of the weights.
    public var terms: [String]
    public var warm: [Double]
    public var cold: [Double]
    /// Per term, the value subtracted before weighting (warm and cold).
    public var warmCentres: [Double]
    public var coldCentres: [Double]
    /// How the model was fitted (data, split, negatives, regularisation, timings).
    public var provenance: [String: String]

    public init(warm: [ModelTerm: Double], cold: [ModelTerm: Double], warmCentres: [ModelTerm: Double] = [:],
                coldCentres: [ModelTerm: Double] = [:], provenance: [String: String] = [:]) {
        schemaVersion = Self.currentSchemaVersion
        terms = ModelTerm.allCases.map(\.rawValue)
        self.warm = ModelTerm.allCases.map { warm[$0] ?? 0 }
        self.cold = ModelTerm.allCases.map { cold[$0] ?? 0 }
        self.warmCentres = ModelTerm.allCases.map { warmCentres[$0] ?? 0 }
        self.coldCentres = ModelTerm.allCases.map { coldCentres[$0] ?? 0 }
        self.provenance = provenance
    }

    /// The same weights for every query.
    public init(weights: [ModelTerm: Double], provenance: [String: String] = [:]) {
        self.init(warm: weights, cold: weights, provenance: provenance)
    }

    /// The engine's content score alone, with the default group weights: the model before any learning.
    public static var contentOnly: TwinModel {
        var w: [ModelTerm: Double] = [:]
        for t in ModelTerm.allCases { if let g = t.group { w[t] = FeatureGroup.defaultWeights[g] } }
        return TwinModel(weights: w, provenance: ["model": "content similarity with the default group weights"])
    }

    public func centres(cold isCold: Bool) -> [ModelTerm: Double] {
        let values = isCold ? coldCentres : warmCentres
        var out: [ModelTerm: Double] = [:]
        for (i, t) in ModelTerm.allCases.enumerated() { out[t] = values[i] }
        return out
    }

    /// The constant `−Σ weight × centre` that centring adds to every score of a query.
    public func offset(cold isCold: Bool) -> Double {
        let w = isCold ? cold : warm, c = isCold ? coldCentres : warmCentres
        return -zip(w, c).reduce(0) { $0 + $1.0 * $1.1 }
    }

    public func weights(cold isCold: Bool) -> [ModelTerm: Double] {
        let values = isCold ? cold : warm
        var out: [ModelTerm: Double] = [:]
        for (i, t) in ModelTerm.allCases.enumerated() { out[t] = values[i] }
        return out
    }

    /// Reads and checks a model file.
    public static func load(path: String) throws -> TwinModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot read the model file") }
        struct Version: Decodable { let schemaVersion: Int }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw InputError(file: path, "not a TwinMatch model file (no schemaVersion)")
        }
        guard version.schemaVersion == currentSchemaVersion else {
            throw InputError(file: path, field: "schemaVersion", "model schema version \(version.schemaVersion) is not the supported version \(currentSchemaVersion); refit it with 'twinmatch fit'")
        }
        let model: TwinModel
        do { model = try JSONDecoder().decode(TwinModel.self, from: data) } catch {
            throw InputError(file: path, "not a TwinMatch model file (\(error))")
        }
        let expected = ModelTerm.allCases.map(\.rawValue)
        guard model.terms == expected else {
            throw InputError(file: path, field: "terms", "the model has \(model.terms.count) terms (\(model.terms.joined(separator: ", "))), this version expects \(expected.count) (\(expected.joined(separator: ", "))); refit it with 'twinmatch fit'")
        }
        for (field, values) in [("warm", model.warm), ("cold", model.cold), ("warmCentres", model.warmCentres), ("coldCentres", model.coldCentres)] {
            guard values.count == expected.count else {
                throw InputError(file: path, field: field, "expected \(expected.count) values, found \(values.count)")
            }
            guard values.allSatisfy(\.isFinite) else { throw InputError(file: path, field: field, "the model has a non-finite value") }
        }
        return model
    }

    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
