import Foundation

/// A city's existing partnerships, each with what the pair shares now and an agenda to revive it, and the
/// partnerships that no longer fit.
///
/// Order: the partnerships that fit first, those with the most to work on first (`toWorkOn`: a modern
/// topic both work on or a complementary offer counts 2; another shared theme, a network both belong to, a
/// migration link, partners in common, a language both speak count 1), then by the score now, then by id;
/// the ones that no longer fit after them, by score, then id. A partnership no longer fits when the pair
/// shares nothing now or scores below a typical candidate (`Partnership.judged`).
public struct Revival: Sendable {
    public struct Partnership: Sendable {
        public let partner: Int
        /// Where the partnership is recorded (`PartnerList.Entry.sources`).
        public let sources: [String]
        /// The pair now: the score with its reasons (the city as the query), shared and complementary
        /// themes, networks, languages, partners in common and the suggested topics.
        public let explanation: Explanation
        /// Shared themes among `modernTopics`, in that order; the other shared themes.
        public let modernTopics: [String]
        public let otherThemes: [String]
        /// The networks both belong to, as their extracts name them, with each city's year where known.
        public let networks: [String]
        /// Migration figures that link the two: a community of at least `Revival.minMigrationShare` of one
        /// side's migrants born in the other's country (the city's own figure, else its country's, said so).
        public let migration: [String]
        /// The language both speak: the first of both cities' languages when it is the same. A place's list
        /// is often its country's, which names regional and minority languages too (Italy's lists German
        /// second), so a language further down either list is no evidence that both cities speak it.
        public let languages: [String]
        /// The suggested agenda (at most `Revival.agendaSize`): the explanation's topics, what one offers
        /// the other first, then the modern topics both work on, then the rest in its order; a community
        /// link only where `migration` has one.
        public let agenda: [Suggestion]
        /// Why the partnership no longer fits, in words; nil when it does.
        public let noLongerFits: String?

        public var score: Double { explanation.reasons.score }

        /// How much the pair has to work on now (see `Revival`).
        public var toWorkOn: Int {
            let e = explanation
            return 2 * (modernTopics.count + e.complementary.count) + otherThemes.count + networks.count + (migration.isEmpty ? 0 : 1)
                + (e.commonPartners.isEmpty ? 0 : 1) + (languages.isEmpty ? 0 : 1)
        }
    }

    public let city: Int
    public let partnerships: [Partnership]
    public let scale: ScoreScale
    /// Why the result is empty, when it is.
    public let notice: String?

    /// A migration link counts when the community is at least 1% of one side's migrants.
    public static let minMigrationShare = 0.01
    public static let agendaSize = 5

    /// The language of `a` and `b` both speak: their first, when it is the same.
    static func spokenByBoth(_ a: [String], _ b: [String]) -> [String] {
        guard let first = a.first, first == b.first else { return [] }
        return [first]
    }

    public var fitting: [Partnership] { partnerships.filter { $0.noLongerFits == nil } }
    public var noLongerFitting: [Partnership] { partnerships.filter { $0.noLongerFits != nil } }
}

extension Ranker {
    /// The revival of every partnership in `partners` (the city's known partners, from the same known
    /// pairs as the ranker's graph). A city without a known partner gets an empty result with a notice.
    public func revival(_ partners: PartnerList) -> Revival {
        let city = partners.query, list = corpus.profiles.profiles
        guard !partners.entries.isEmpty else {
            let name = list.name(city)
            return Revival(city: city, partnerships: [], scale: scale, notice: "\(name) has no known partner (no profile lists one and no known-pairs file names one), so there is no partnership to revive; `twinmatch recommend --id \(list.id(city))` proposes new partners for \(name)")
        }
        let facts = PairFacts(corpus: corpus, graph: graph, query: city)
        let all = partners.entries.map { entry -> Revival.Partnership in
            let e = explain(city, entry.row)
            let pa = list[city], pb = list[entry.row]
            let migration = [facts.migrationLink(pa, from: pb.country), facts.migrationLink(pb, from: pa.country)]
                .compactMap { $0 }.filter { $0.share >= Revival.minMigrationShare }.map(\.fact)
            let modern = modernTopics.filter(e.sharedThemes.contains)
            // The explanation's community link cites the first figure it has; here only a link of 1% or more.
            let suggested = e.suggestions.compactMap { s -> Suggestion? in
                guard s.topic == "migration-integration", s.reason.hasPrefix("a community link") else { return s }
                return migration.first.map { Suggestion(topic: s.topic, reason: "a community link: " + $0) }
            }
            // What one offers the other first, then the modern topics both work on, then the rest, each in
            // the explanation's order.
            let offered = Set(e.complementary.map(\.theme))
            let agenda = suggested.enumerated().sorted { a, b in
                let ka = offered.contains(a.element.topic) ? 0 : modern.contains(a.element.topic) ? 1 : 2
                let kb = offered.contains(b.element.topic) ? 0 : modern.contains(b.element.topic) ? 1 : 2
                return (ka, a.offset) < (kb, b.offset)
            }.map(\.element)
            return Revival.Partnership(partner: entry.row, sources: entry.sources, explanation: e, modernTopics: modern,
                                        otherThemes: e.sharedThemes.filter { !modern.contains($0) },
                                        networks: e.sharedNetworks.map { PairFacts.network($0, of: [pa, pb]) }.uniqued, migration: migration,
                                        languages: Revival.spokenByBoth(pa.languages, pb.languages),
                                        agenda: Array(agenda.prefix(Revival.agendaSize)), noLongerFits: nil).judged
        }
        let idRank = corpus.idRank
        let ordered = all.sorted { a, b in
            if (a.noLongerFits == nil) != (b.noLongerFits == nil) { return a.noLongerFits == nil }
            let ka = a.noLongerFits == nil ? a.toWorkOn : 0, kb = b.noLongerFits == nil ? b.toWorkOn : 0
            if ka != kb { return ka > kb }
            if a.score != b.score { return a.score > b.score }
            return idRank[a.partner] < idRank[b.partner]
        }
        return Revival(city: city, partnerships: ordered, scale: scale, notice: nil)
    }
}

extension Revival.Partnership {
    /// The partnership with its verdict: it no longer fits when the pair shares nothing now (no theme,
    /// complementary offer, network, language or migration link) or scores below a typical candidate (a
    /// raw score under 0, the scale's baseline). Not a fixed band of the 0–100 scale: a town's pairs all
    /// score low on the learned model (its best candidates are small places with few partnerships), so
    /// a fixed band would condemn every partnership of a small town.
    var judged: Revival.Partnership {
        let e = explanation
        var why: [String] = []
        if modernTopics.isEmpty && otherThemes.isEmpty && e.complementary.isEmpty && networks.isEmpty && languages.isEmpty && migration.isEmpty {
            why.append("nothing shared now: no shared theme, complementary offer, network, language or migration link of 1% or more")
        }
        if e.reasons.rawScore < 0 {
            why.append("scores below a typical candidate now (raw score \(fixed(e.reasons.rawScore, 1)), under 0): the pair fits worse than an average place would")
            let still = [("themes", modernTopics + otherThemes), ("complementary offers", e.complementary.map(\.theme)), ("networks", networks),
                         ("languages", languages.map(languageName)), ("migration links", migration.isEmpty ? [] : ["\(migration.count)"])]
                .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }
            if !still.isEmpty { why.append("still shared: " + still.joined(separator: "; ")) }
        }
        return Revival.Partnership(partner: partner, sources: sources, explanation: e, modernTopics: modernTopics, otherThemes: otherThemes,
                                   networks: networks, migration: migration, languages: languages, agenda: agenda,
                                   noLongerFits: why.isEmpty ? nil : why.joined(separator: "; "))
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once (an umbrella network and its branch can carry one name).
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
