import Foundation

/// The feature groups a city vector is made of. Each group yields a similarity between two cities;
/// a score is `Σ weight(group) · similarity(group)`, so it splits into per-group contributions.
public enum FeatureGroup: String, CaseIterable, Codable, Sendable {
    /// Population on a log scale, soft-binned: 1 for equal size, 0.61 for a 3× ratio, 0.13 for 10×, 0.01 for 30×.
    case size
    /// Position on the sphere: 1 at 0 km, 0 at the geography scale (default 2,000 km), negative beyond,
    /// falling with the square of the distance at short range.
    case geography
    /// Cosine of the weighted theme vectors.
    case themes
    /// Complementarity: what one offers and the other seeks, mean of both directions (cosines).
    case complementarity
    /// Migration links: the share of one city's migrant communities that comes from the other's country,
    /// mean of both directions.
    case migration
    /// Cosine of the language lists, earlier languages weighing more (1, 1/2, 1/3, …).
    case languages
    /// Cosine of the network memberships.
    case networks
    /// 1 for the same country, 0.5 for the same continent, 0 otherwise.
    case country

    /// Whether the group is computed by lookup (`PairGroups`) rather than by inner product of vectors.
    public var isPairGroup: Bool { self == .migration || self == .country }

    /// Default weights: what a coordinator looking for partners values, themes and complementarity first.
    public static let defaultWeights: [FeatureGroup: Double] = [
        .size: 0.15, .geography: 0.10, .themes: 0.25, .complementarity: 0.20,
        .migration: 0.10, .languages: 0.10, .networks: 0.05, .country: 0.05,
    ]
}

/// Group weights of a query. Missing groups weigh 0.
public struct GroupWeights: Sendable, Equatable, Codable {
    public var values: [FeatureGroup: Double]

    public init(_ values: [FeatureGroup: Double] = FeatureGroup.defaultWeights) { self.values = values }

    public subscript(group: FeatureGroup) -> Double {
        get { values[group] ?? 0 }
        set { values[group] = newValue }
    }

    /// Parses `group=weight,group=weight` over the defaults (e.g. `themes=0.5,size=0`).
    public static func parse(_ text: String, over base: GroupWeights = GroupWeights()) throws -> GroupWeights {
        var out = base
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { trimSpaces($0) }
            guard parts.count == 2, let group = FeatureGroup(rawValue: parts[0]) else {
                throw OptionError("--weights", "'\(item)' is not group=weight; groups: \(FeatureGroup.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let w = Double(parts[1]), w.isFinite, w >= 0 else {
                throw OptionError("--weights", "\(parts[0]): '\(parts[1])' is not a non-negative number")
            }
            out[group] = w
        }
        return out
    }
}
