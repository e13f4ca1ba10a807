import Foundation

/// A learned partner model: one weight per `ModelTerm`, one set for warm queries (with known partners)
/// and one for cold queries. Saved as JSON with a schema version.
public struct TwinModel: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// Term names, in the order of the weights.
    public var terms: [String]
    public var warm: [Double]
    public var cold: [Double]
    /// How the model was fitted (data, split, negatives, regularisation, timings).
    public var provenance: [String: String]

    public init(warm: [ModelTerm: Double], cold: [ModelTerm: Double], provenance: [String: String] = [:]) {
        schemaVersion = Self.currentSchemaVersion
        terms = ModelTerm.allCases.map(\.rawValue)
        self.warm = ModelTerm.allCases.map { warm[$0] ?? 0 }
        self.cold = ModelTerm.allCases.map { cold[$0] ?? 0 }
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

    public func weights(cold isCold: Bool) -> [ModelTerm: Double] {
        let values = isCold ? cold : warm
        var out: [ModelTerm: Double] = [:]
        for (i, t) in ModelTerm.allCases.enumerated() { out[t] = values[i] }
        return out
    }

    /// Reads and checks a model file.
    public static func load(path: String) throws -> TwinModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot read the model file") }
        let model: TwinModel
        do { model = try JSONDecoder().decode(TwinModel.self, from: data) } catch {
            throw InputError(file: path, "not a TwinMatch model file (\(error.localizedDescription))")
        }
        guard model.schemaVersion == currentSchemaVersion else {
            throw InputError(file: path, field: "schemaVersion", "model schema version \(model.schemaVersion) is not the supported version \(currentSchemaVersion); refit it with 'twinmatch fit'")
        }
        let expected = ModelTerm.allCases.map(\.rawValue)
        guard model.terms == expected else {
            throw InputError(file: path, field: "terms", "the model has \(model.terms.count) terms (\(model.terms.joined(separator: ", "))), this version expects \(expected.count) (\(expected.joined(separator: ", "))); refit it with 'twinmatch fit'")
        }
        guard model.warm.count == expected.count, model.cold.count == expected.count else {
            throw InputError(file: path, field: model.warm.count != expected.count ? "warm" : "cold", "expected \(expected.count) weights, found \(model.warm.count) warm and \(model.cold.count) cold")
        }
        guard (model.warm + model.cold).allSatisfy(\.isFinite) else { throw InputError(file: path, "the model has a non-finite weight") }
        return model
    }

    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
