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

    var isFinite: Bool { baseRate.isFinite && places.values.allSatisfy(\.isFinite) && twinningRate.values.allSatisfy(\.isFinite) }
}

public struct TwinModel: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 2

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
        guard model.tiers.first?.minPartners == 0 else {
            throw InputError(file: path, field: "tiers", "the first tier must start at 0 partners")
        }
        if let reference = model.reference, !reference.isFinite {
            throw InputError(file: path, field: "reference", "the model has a non-finite value")
        }
        for (i, tier) in model.tiers.enumerated() {
            if i > 0 && tier.minPartners <= model.tiers[i - 1].minPartners {
                throw InputError(file: path, field: "tiers", "tier \(i + 1) must start above the tier before it (\(tier.minPartners) ≤ \(model.tiers[i - 1].minPartners) partners)")
            }
            for (field, values) in [("weights", tier.weights), ("centres", tier.centres)] {
                guard values.count == expected.count else {
                    throw InputError(file: path, field: "tiers[\(i)].\(field)", "expected \(expected.count) values, found \(values.count)")
                }
                guard values.allSatisfy(\.isFinite) else {
                    throw InputError(file: path, field: "tiers[\(i)].\(field)", "the model has a non-finite value")
                }
            }
        }
        return model
    }

    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
