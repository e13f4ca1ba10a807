import Foundation

/// The few families a score's terms are read in, in words a twinning committee uses. Every term of the
/// learned model (`ModelTerm.descriptor.family`) and every content group (`FeatureGroup.family`) belongs
/// to exactly one.
public enum ReasonFamily: String, CaseIterable, Sendable {
    case partners = "partnership_network"
    case size
    case distance
    case countries = "country_ties"
    case renown
    case themes = "themes_networks"
    case migration
    case languages
    case name = "same_name"
    case complement = "offers_seeks"
    case mutual = "their_view"

    /// A short label for tables.
    public var label: String {
        switch self {
        case .partners: return "partnership network"
        case .size: return "size"
        case .distance: return "distance"
        case .countries: return "country ties"
        case .renown: return "renown"
        case .themes: return "themes and networks"
        case .migration: return "migration links"
        case .languages: return "languages"
        case .name: return "same name"
        case .complement: return "offers and seeks"
        case .mutual: return "their view of us"
        }
    }

    /// What the family weighs, in a sentence fragment.
    public var meaning: String {
        switch self {
        case .partners: return "already twinned with the same cities, or close to them in the partnership network"
        case .size: return "size: similar, large, or like the city's existing partners"
        case .distance: return "distance, against the distances the city already twins at"
        case .countries: return "ties between the two countries and regions in existing twinnings"
        case .renown: return "renown and popularity as a partner"
        case .themes: return "shared themes, complementary know-how and city networks"
        case .migration: return "migration links between the two countries"
        case .languages: return "shared languages"
        case .name: return "namesakes (places of the same name twin)"
        case .complement: return "what one city offers and the other seeks (--mode complement, --seeks, --offers)"
        case .mutual: return "how the candidate would rank the city among its own candidates (--mutual)"
        }
    }
}

extension FeatureGroup {
    /// The family a content group is read in (the learned model's dense terms have the same).
    public var family: ReasonFamily {
        switch self {
        case .size: return .size
        case .geography: return .distance
        case .themes, .complementarity, .networks: return .themes
        case .migration: return .migration
        case .languages: return .languages
        case .country: return .countries
        }
    }
}

/// How a raw score is shown on a 0–100 scale. Both forms are strictly increasing in the raw score, so the
/// displayed scores rank exactly as the raw ones.
///
/// - `linear`: `points = factor × raw` (the content ranker: its score is a weighted mean of similarities of
///   at most 1, so 100 means "identical on every group"; a pair that differs on everything can fall below 0).
/// - `logistic`: `points = 100 / (1 + exp(−(raw − centre) / width))` (the learned model, whose raw score is
///   a log-odds against a typical candidate and unbounded; see `ModelRanker.scale`).
///
/// A score splits into a baseline (the points of raw 0, a typical candidate) plus one share per family:
/// family `f` with raw contribution `r_f` gets `r_f × (points(raw) − baseline) / raw` points, so the shares
/// keep their raw signs and proportions and baseline + shares = the score exactly.
public struct ScoreScale: Sendable, Equatable {
    public enum Form: Sendable, Equatable {
        case linear(factor: Double)
        case logistic(centre: Double, width: Double)
    }
    public let form: Form

    public init(_ form: Form) { self.form = form }

    /// The content ranker's scale: 100 × the raw score.
    public static let content = ScoreScale(.linear(factor: 100))

    public func points(_ raw: Double) -> Double {
        switch form {
        case .linear(let factor): return factor * raw
        case .logistic(let centre, let width): return 100 / (1 + exp(-(raw - centre) / width))
        }
    }

    /// The points of a raw score of 0: a typical candidate.
    public var baseline: Double { points(0) }

    /// Points per raw unit on the way from 0 to `raw` (the slope at 0 when `raw` is 0).
    func rate(_ raw: Double) -> Double {
        if abs(raw) > 1e-9 { return (points(raw) - baseline) / raw }
        switch form {
        case .linear(let factor): return factor
        case .logistic(let centre, let width):
            let p = 1 / (1 + exp(centre / width))
            return 100 * p * (1 - p) / width
        }
    }

    /// One line for the README and `--help`: what the scale is.
    public var summary: String {
        switch form {
        case .linear(let factor): return "\(JSON.number(factor)) × the raw score"
        case .logistic(let centre, let width):
            return "100 / (1 + exp(−(raw − \(JSON.number(centre))) / \(JSON.number(width))))"
        }
    }
}

/// One family's share of a score: its points, the raw terms behind them, and the facts of the pair.
public struct FamilyReason: Sendable, Equatable {
    public let family: ReasonFamily
    /// The sum of the family's raw contributions.
    public let raw: Double
    /// Its points on the 0–100 scale.
    public let points: Double
    /// The raw terms (or content groups) of the family, as the ranker reported them.
    public let terms: [Contribution]
    /// What the pair's data says for this family ("612 km", "both partners of Kraków").
    public let facts: [String]
}

/// A score in plain words: the 0–100 score, the baseline of a typical candidate and each family's points,
/// which add up to it (`baseline + Σ points = score`).
public struct Reasons: Sendable, Equatable {
    public let rawScore: Double
    public let scale: ScoreScale
    public let score: Double
    public let baseline: Double
    /// The raw terms (or content groups), in the ranker's order; they add up to `rawScore`.
    public let terms: [Contribution]
    /// The families with at least one term, in `ReasonFamily` order.
    public let families: [FamilyReason]

    /// The reasons of a raw score split into `contributions`, each family keyed by `family(term name)`.
    public init(contributions: [Contribution], scale: ScoreScale, family: (String) -> ReasonFamily,
                facts: (ReasonFamily) -> [String] = { _ in [] }) {
        let raw = contributions.reduce(0) { $0 + $1.value }
        rawScore = raw
        terms = contributions
        self.scale = scale
        score = scale.points(raw)
        baseline = scale.baseline
        let rate = scale.rate(raw)
        // Each term's family once (not once per family), then the terms of each family in their order.
        let termFamilies = contributions.map { family($0.name) }
        families = ReasonFamily.allCases.compactMap { f in
            let terms = zip(contributions, termFamilies).filter { $0.1 == f }.map(\.0)
            guard !terms.isEmpty else { return nil }
            let sum = terms.reduce(0) { $0 + $1.value }
            return FamilyReason(family: f, raw: sum, points: sum * rate, terms: terms, facts: facts(f))
        }
    }

    /// The score, the baseline and each family's points as whole numbers that still add up: each rounded
    /// down, then the units the sum lacks given to the largest remainders (ties to the earlier entry).
    public var roundedPoints: (score: Int, baseline: Int, families: [Int]) {
        let total = Int(score.rounded())
        let parts = [baseline] + families.map(\.points)
        var whole = parts.map { Int($0.rounded(.down)) }
        let missing = total - whole.reduce(0, +)
        let order = parts.indices.sorted { (parts[$0] - parts[$0].rounded(.down), $1) > (parts[$1] - parts[$1].rounded(.down), $0) }
        if missing > 0 { for i in order.prefix(missing) { whole[i] += 1 } }
        if missing < 0 { for i in order.reversed().prefix(-missing) { whole[i] -= 1 } }
        return (total, whole.first ?? 0, Array(whole.dropFirst()))
    }

    /// The families by points, largest first (ties in family order).
    public var strongest: [FamilyReason] {
        families.enumerated().sorted { ($0.element.points, $1.offset) > ($1.element.points, $0.offset) }.map(\.element)
    }
}
