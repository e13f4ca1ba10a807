import Foundation

/// Why two cities match, and what they could work on together.
public struct Explanation: Sendable {
    public let a: Int
    public let b: Int
    /// The raw score (the sum of `contributions`).
    public var score: Double { reasons.rawScore }
    /// The raw terms (or content groups) of the score.
    public var contributions: [Contribution] { reasons.terms }
    /// The score on the 0–100 scale, by family with the facts behind each.
    public let reasons: Reasons
    public let distanceKm: Double
    /// Whether the two are already partners (in the profiles or the known pairs).
    public let existingPartnership: Bool
    /// The known partners both have, the most twinned first.
    public let commonPartners: [Int]
    /// Known twinnings between the two countries (within it when they share it), and between the regions.
    public let countryPairs: Int
    public let regionPairs: Int
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
    /// The explanation of the pair (`a` as the query, `b` as the candidate) with a ranker's reasons: what
    /// the two share, what one offers the other, and topics to work on together, from the pair's data.
    func explanation(_ a: Int, _ b: Int, reasons: Reasons, facts: PairFacts, existing: Bool) -> Explanation {
        let pa = profiles.profiles[a], pb = profiles.profiles[b]
        var complementary: [ComplementaryTheme] = []
        for t in pa.offers where pb.seeks.contains(t) { complementary.append(ComplementaryTheme(theme: t, offeredBy: a, soughtBy: b)) }
        for t in pb.offers where pa.seeks.contains(t) { complementary.append(ComplementaryTheme(theme: t, offeredBy: b, soughtBy: a)) }
        let shared = sharedThemes(a, b)
        let sharedNetworks = Set(pa.networks).intersection(pb.networks).sorted()
        let sharedLanguages = Set(pa.languages).intersection(pb.languages).sorted()
        let common = facts.commonPartners(b)
        let topics = TopicPicker(corpus: self, graph: facts.graph, a: pa, b: pb, rows: (a, b))
        let suggestions = topics.suggestions(complementary: complementary, shared: shared, networks: sharedNetworks,
                                             common: common, migration: [facts.migrationFact(pa, from: pb.country),
                                                                         facts.migrationFact(pb, from: pa.country)].compactMap { $0 })
        return Explanation(a: a, b: b, reasons: reasons, distanceKm: distanceKm(a, b), existingPartnership: existing,
                           commonPartners: common, countryPairs: facts.countryPairCount(b), regionPairs: facts.regionPairCount(b),
                           sharedThemes: shared, complementary: complementary, sharedNetworks: sharedNetworks,
                           sharedLanguages: sharedLanguages, suggestions: suggestions)
    }
}

/// Topics for a pair, from its data: what one offers and the other seeks, shared themes, networks both
/// belong to, a migration link, common partners to meet, a modern topic one of them works on; then modern
/// topics neither lists, those the two cities' partners work on first, else as their sizes and distance
/// suggest. Never more than 8.
struct TopicPicker {
    let corpus: Corpus
    let graph: PairGraph
    let a: CityProfile, b: CityProfile
    let rows: (Int, Int)

    func suggestions(complementary: [ComplementaryTheme], shared: [String], networks: [String], common: [Int],
                     migration: [String]) -> [Suggestion] {
        var out: [Suggestion] = []
        func suggest(_ topic: String, _ reason: String) {
            if !out.contains(where: { $0.topic == topic }) { out.append(Suggestion(topic: topic, reason: reason)) }
        }
        let list = corpus.profiles.profiles
        for c in complementary { suggest(c.theme, "\(list.name(c.offeredBy)) offers know-how that \(list.name(c.soughtBy)) seeks") }
        let weightA = Dictionary(a.themes.map { ($0.key, $0.weight) }, uniquingKeysWith: max)
        let weightB = Dictionary(b.themes.map { ($0.key, $0.weight) }, uniquingKeysWith: max)
        for t in shared.sorted(by: { ((weightA[$0] ?? 0) * (weightB[$0] ?? 0), $1) > ((weightA[$1] ?? 0) * (weightB[$1] ?? 0), $0) }) {
            suggest(t, "a shared priority of both cities")
        }
        for n in networks { suggest("network:\(n)", "both belong to \(networkName(n)): a ready frame for joint projects") }
        if let link = migration.first { suggest("migration-integration", "a community link: " + link) }
        if !common.isEmpty {
            let names = listed(common.prefix(3).map(list.name))
            suggest("three-way project", "meet with \(names), \(common.count == 1 ? "a partner" : "partners") of both: a project of three builds on ties that exist")
        }
        for t in modernTopics {
            let aHas = a.allThemes.contains(t), bHas = b.allThemes.contains(t)
            if aHas != bHas { suggest(t, "\(aHas ? a.name : b.name) works on it; a topic the partnership can grow into") }
        }
        // New ground: modern topics neither lists, those their partners work on first.
        let fresh = modernTopics.filter { !a.allThemes.contains($0) && !b.allThemes.contains($0) }
        let partners = Set(graph.neighbours[rows.0].map(Int.init) + graph.neighbours[rows.1].map(Int.init))
            .subtracting([rows.0, rows.1]).sorted()
        let themes = partners.map { list[$0].allThemes }
        let byPartners = fresh.map { t in (topic: t, count: themes.filter { $0.contains(t) }.count) }
            .filter { $0.count > 0 }.sorted { ($0.count, $1.topic) > ($1.count, $0.topic) }
        for p in byPartners.prefix(2) {
            suggest(p.topic, "\(p.count) of their \(partners.count) partners work on it; neither city lists it yet")
        }
        if byPartners.isEmpty { for (t, why) in fallback(fresh).prefix(2) { suggest(t, why) } }
        return Array(out.prefix(8))
    }

    /// Modern topics neither lists, as the pair's sizes and distance suggest.
    func fallback(_ fresh: [String]) -> [(String, String)] {
        let km = corpus.distanceKm(rows.0, rows.1), small = max(a.population, b.population) < 50_000
        var ranked: [(String, String)] = []
        if km > 1_500 { ranked.append(("digitalisation", "\(grouped(km)) km apart: online exchanges keep the partnership going between visits")) }
        if small { ranked.append(("youth", "two towns under 50,000 people: youth exchanges bring a new generation into the partnership")) }
        if min(a.population, b.population) >= 100_000 {
            ranked.append(("climate-adaptation", "two cities over 100,000 people: heat, floods and green space are shared urban problems"))
        }
        ranked.append(("energy-transition", "new ground for both: neither lists it yet"))
        ranked.append(("youth", "youth exchanges bring a new generation into the partnership"))
        return ranked.filter { fresh.contains($0.0) }
    }
}
