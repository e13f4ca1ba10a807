import Foundation

/// One term of a score: a feature group's weighted similarity, or a learned term.
public struct Contribution: Sendable, Equatable {
    public let name: String
    public let value: Double
    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }
}

/// A ranked candidate with its score split into contributions.
public struct Recommendation: Sendable {
    public let rank: Int
    public let row: Int
    public let score: Double
    public let contributions: [Contribution]
    public let distanceKm: Double
    public let sharedThemes: [String]
}

/// A ranked list for one query.
public struct RecommendationList: Sendable {
    public let query: Int
    public let results: [Recommendation]
}

/// A way of ranking partner candidates over a corpus: the content similarity (`ContentRanker`) or a
/// learned model (`ModelRanker`). The command-line tool, batch jobs, evaluation and a server call it the
/// same way; it is an immutable value, safe to share between threads.
///
/// A query's candidates never include itself or its partners in `graph`. Ties are broken by score, then
/// by id, whatever the thread count.
public protocol Ranker: Sendable {
    var corpus: Corpus { get }
    /// The partnerships the ranking knows (`Corpus.partnerships(adding:)`).
    var graph: PairGraph { get }
    /// The best `limit` candidates for each query row under `filter`, each score split into its terms
    /// (they add up to the score, in `Double`).
    func recommend(queries: [Int], limit: Int, filter: CandidateFilter) -> [RecommendationList]
    /// The score of `b` as a candidate for `a`, its terms, and what the two could work on together.
    func explain(_ a: Int, _ b: Int) -> Explanation
    /// The terms of `candidate`'s score as a candidate for `query` (they add up to the raw score).
    func contributions(query: Int, candidate: Int) -> [Contribution]
    /// The raw score of each of `candidates` for `query`, `explain(query, c).score` without the facts:
    /// the query's own terms are built once for all of them (`Workflows/PairScores.swift`).
    func rawScores(query: Int, candidates: [Int]) -> [Double]
    /// The 1-based rank of each target among the candidates of its query that `admissible` accepts.
    func ranks(queries: [Int], targets: [Int], admissible: @escaping ExactSearch.Admissible) -> [Int]
    /// How its raw scores are shown on the 0–100 scale (monotone: the order is the raw scores').
    var scale: ScoreScale { get }
    /// The family a term it reports (a contribution's name) is read in.
    func family(of term: String) -> ReasonFamily
    /// What a full complement or diaspora fit adds to a raw score, before the blend's weight (`Blend`).
    var interestWeight: Double { get }
}

extension Ranker {
    /// Whether `candidate` may be proposed to `query`: not itself, not a partner, and through `filter`.
    public func admits(query: Int, candidate: Int, filter: CandidateFilter) -> Bool {
        candidate != query && !graph.contains(query, candidate) && filter.admitsNetworks(candidate, corpus.memberships)
            && filter.admits(query: query, candidate: candidate, in: corpus.profiles.profiles)
    }

    /// The reasons of one pair's contributions on the ranker's scale, with the facts of `facts`.
    public func reasons(_ contributions: [Contribution], candidate: Int, facts: PairFacts) -> Reasons {
        let profile = corpus.profiles.profiles[candidate]
        return Reasons(contributions: contributions, scale: scale, family: family(of:)) { facts.facts($0, candidate, profile: profile) }
    }

    /// The best `limit` candidates for `query` with each score in plain words, and a notice naming the
    /// filters that left none when the list is empty.
    public func shortlist(_ query: Int, limit: Int, filter: CandidateFilter) -> Shortlist {
        var facts = PairFacts(corpus: corpus, graph: graph, query: query)
        let list: RecommendationList
        if filter.mutual {
            (list, facts.mutual) = mutualRecommend(query, limit: limit, filter: filter)
            facts.scale = scale
        } else {
            list = recommend(queries: [query], limit: limit, filter: filter).first ?? RecommendationList(query: query, results: [])
        }
        if filter.blend.complement > 0 { facts.complement = Complement(corpus, row: query, stated: filter.interests) }
        return Shortlist(list: list, reasons: list.results.map { reasons($0.contributions, candidate: $0.row, facts: facts) },
                         scale: scale, notice: list.results.isEmpty ? filter.emptyNotice(query: query, corpus: corpus, graph: graph) : nil,
                         notes: list.results.map { corpus.candidateNote($0.row, graph: graph) })
    }

    /// The explanation of the pair under `filter`'s blend and stated interests (its other fields are not
    /// read): the score `recommend` gives `b` under them, with the complement and diaspora reasons.
    public func explain(_ a: Int, _ b: Int, filter: CandidateFilter) -> Explanation {
        guard let modes = modeTerms([a], filter) else { return explain(a, b) }
        return explanation(a, b, contributions: modes.blended(contributions(query: a, candidate: b), 0, b, corpus), filter: filter)
    }

    /// The explanation of the pair with `contributions` (`a` the query, `b` the candidate): reasons with
    /// their facts, shared themes and topics from the pair's data.
    func explanation(_ a: Int, _ b: Int, contributions: [Contribution], filter: CandidateFilter = CandidateFilter()) -> Explanation {
        var facts = PairFacts(corpus: corpus, graph: graph, query: a)
        if filter.blend.complement > 0 { facts.complement = Complement(corpus, row: a, stated: filter.interests) }
        return corpus.explanation(a, b, reasons: reasons(contributions, candidate: b, facts: facts), facts: facts,
                                  existing: graph.contains(a, b))
    }

    /// The complement and diaspora terms of `filter`'s blend for query rows `rows` (nil for the peer score alone).
    func modeTerms(_ rows: [Int], _ filter: CandidateFilter) -> ModeTerms? {
        ModeTerms(corpus, rows: rows, filter: filter, weight: interestWeight)
    }

    /// The family of a complement or diaspora term (nil for the ranker's own terms).
    static func modeFamily(_ term: String) -> ReasonFamily? {
        switch term {
        case Blend.complementTerm: return .complement
        case Blend.diasporaTerm: return .migration
        case mutualTerms.view, mutualTerms.rank: return .mutual
        default: return nil
        }
    }

    /// `results` sorted by score, then id, and numbered from 1.
    func ranked(_ query: Int, _ results: [Recommendation]) -> RecommendationList {
        let idRank = corpus.idRank
        let sorted = results.sorted { a, b in a.score != b.score ? a.score > b.score : idRank[a.row] < idRank[b.row] }
        return RecommendationList(query: query, results: sorted.enumerated().map { i, r in
            Recommendation(rank: i + 1, row: r.row, score: r.score, contributions: r.contributions, distanceKm: r.distanceKm, sharedThemes: r.sharedThemes)
        })
    }
}

extension Corpus {
    /// The ranker for a request: the learned `model` when one is given (its graph terms read the profiles'
    /// partnerships and `known`), otherwise the content similarity with `weights`.
    public func ranker(known: [(Int, Int)] = [], model: TwinModel? = nil, weights: GroupWeights = GroupWeights(),
                       search: SearchOptions = SearchOptions()) -> any Ranker {
        let graph = partnerships(adding: known)
        guard let model else { return ContentRanker(corpus: self, graph: graph, weights: weights, search: search) }
        return ModelRanker(context: TermContext(corpus: self, graph: graph, reference: model.reference), model: model, search: search)
    }
}
