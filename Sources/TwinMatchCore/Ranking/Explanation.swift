import Foundation

/// Why two cities match, and what they could work on together.
public struct Explanation: Sendable {
    public let a: Int
    public let b: Int
    public let score: Double
    public let contributions: [Contribution]
    public let distanceKm: Double
    /// Whether the two are already partners (in the profiles or the known pairs).
    public let existingPartnership: Bool
    public let sharedThemes: [String]
    /// Themes one offers and the other seeks: (theme, offering city row, seeking city row).
    public let complementary: [ComplementaryTheme]
    public let sharedNetworks: [String]
    public let sharedLanguages: [String]
    /// Suggested topics to work on together, most promising first, each with its reason.
    public let suggestions: [Suggestion]
}

public struct ComplementaryTheme: Sendable, Equatable {
    public let theme: String
    public let offeredBy: Int
    public let soughtBy: Int
}

public struct Suggestion: Sendable, Equatable {
    public let topic: String
    public let reason: String
}

/// The topics co-operation programmes push today (circular economy, energy transition, climate, youth,
/// digitalisation, culture and heritage, intercultural integration), in the order they are suggested.
public let modernTopics = ["energy-transition", "circular-economy", "climate-adaptation", "youth", "digitalisation",
                           "culture-heritage", "migration-integration", "intercultural-dialogue"]

extension Corpus {
    /// The explanation of the pair (`a` as the query, `b` as the candidate) with a ranker's score and its
    /// terms: what the two share, what one offers the other, and topics to work on together.
    func explanation(_ a: Int, _ b: Int, score: Double, contributions: [Contribution], existing: Bool) -> Explanation {
        let pa = profiles.profiles[a], pb = profiles.profiles[b]
        var complementary: [ComplementaryTheme] = []
        for t in pa.offers where pb.seeks.contains(t) { complementary.append(ComplementaryTheme(theme: t, offeredBy: a, soughtBy: b)) }
        for t in pb.offers where pa.seeks.contains(t) { complementary.append(ComplementaryTheme(theme: t, offeredBy: b, soughtBy: a)) }
        let shared = sharedThemes(a, b)
        let sharedNetworks = Set(pa.networks).intersection(pb.networks).sorted()
        let sharedLanguages = Set(pa.languages).intersection(pb.languages).sorted()

        var suggestions: [Suggestion] = []
        func suggest(_ topic: String, _ reason: String) {
            if !suggestions.contains(where: { $0.topic == topic }) { suggestions.append(Suggestion(topic: topic, reason: reason)) }
        }
        for c in complementary {
            let giver = profiles.profiles[c.offeredBy].name, taker = profiles.profiles[c.soughtBy].name
            suggest(c.theme, "\(giver) offers know-how that \(taker) seeks")
        }
        let weightA = Dictionary(pa.themes.map { ($0.key, $0.weight) }, uniquingKeysWith: max)
        let weightB = Dictionary(pb.themes.map { ($0.key, $0.weight) }, uniquingKeysWith: max)
        for t in shared.sorted(by: { ((weightA[$0] ?? 0) * (weightB[$0] ?? 0), $1) > ((weightA[$1] ?? 0) * (weightB[$1] ?? 0), $0) }) {
            suggest(t, "a shared priority of both cities")
        }
        if let share = pa.migrationLinks.first(where: { $0.key == pb.country })?.weight {
            suggest("migration-integration", "\(pa.name) is home to a community from \(Countries.named(pb.country)?.name ?? pb.country) (share \(formatShare(share)))")
        }
        if let share = pb.migrationLinks.first(where: { $0.key == pa.country })?.weight {
            suggest("migration-integration", "\(pb.name) is home to a community from \(Countries.named(pa.country)?.name ?? pa.country) (share \(formatShare(share)))")
        }
        for n in sharedNetworks { suggest("network:\(n)", "both belong to the \(n) network: a ready frame for joint projects") }
        for t in modernTopics {
            let aHas = pa.allThemes.contains(t), bHas = pb.allThemes.contains(t)
            if aHas != bHas {
                suggest(t, "\(aHas ? pa.name : pb.name) works on it; a topic the partnership can grow into")
            }
        }
        // New ground for a partnership carried by few volunteers: modern topics neither city lists yet.
        var fresh = 0
        for t in ["youth", "energy-transition", "circular-economy", "digitalisation", "climate-adaptation"]
        where !pa.allThemes.contains(t) && !pb.allThemes.contains(t) && fresh < 2 {
            suggest(t, t == "youth" ? "youth exchanges bring a new generation into the partnership"
                                    : "new ground for both: a modern topic neither city lists yet")
            fresh += 1
        }
        if suggestions.count > 8 { suggestions.removeLast(suggestions.count - 8) }
        return Explanation(a: a, b: b, score: score, contributions: contributions, distanceKm: distanceKm(a, b),
                           existingPartnership: existing, sharedThemes: shared, complementary: complementary,
                           sharedNetworks: sharedNetworks, sharedLanguages: sharedLanguages, suggestions: suggestions)
    }
}

func formatShare(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
