import Foundation

/// The ways a candidate can fit a city: as a peer (the ranker's own score: who is like us, who twins like
/// us), as a complement (it offers what the city seeks, it seeks what the city offers) or through a diaspora
/// (migrants from one city's country live in the other's).
public enum MatchMode: String, CaseIterable, Sendable {
    case peer, complement, diaspora
}

/// How a request weighs the three fits. A candidate's raw score is
///
///     peer × (the ranker's score) + weight × (complement × C(q, c) + diaspora × D(q, c))
///
/// where `weight` is the ranker's `interestWeight` (for the learned model 4 ln 3 × its scale's width: a full
/// fit moves a candidate by twice the span between a typical city's weaker and stronger best candidates),
/// and `C`, `D` in [0, 1] are defined by `Complement` and `Diaspora`. `--mode complement` weighs its fit 2
/// beside the peer score's 1 (offers and seeks are sparse: a fit of 0.1 is already a real match), `--mode
/// diaspora` 1 (a country's large community gives a fit of 0.5 and more): the fit leads, among equally
/// fitting candidates the better partners come first, and the peer reasons keep their points.
public struct Blend: Sendable, Equatable {
    public var peer: Double
    public var complement: Double
    public var diaspora: Double

    public init(peer: Double = 1, complement: Double = 0, diaspora: Double = 0) {
        self.peer = peer
        self.complement = complement
        self.diaspora = diaspora
    }

    /// The peer score alone.
    public static let peer = Blend()

    /// A mode's weights; `statedInterests` (`--seeks`, `--offers`) weigh the complement fit as the
    /// complement mode does, whatever the mode.
    public static func mode(_ mode: MatchMode, statedInterests: Bool = false) -> Blend {
        switch mode {
        case .peer: return Blend(peer: 1, complement: statedInterests ? 2 : 0)
        case .complement: return Blend(peer: 1, complement: 2)
        case .diaspora: return Blend(peer: 1, complement: statedInterests ? 2 : 0, diaspora: 1)
        }
    }

    /// Weights as people write them: `peer=0.5,complement=1` (a missing mode weighs 0); each a
    /// non-negative number, not all 0. An `OptionError` names `--blend` otherwise.
    public init(parsing text: String) throws {
        var weights: [MatchMode: Double] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false).map { trimSpaces(String($0)) }
            guard parts.count == 2, let mode = MatchMode(rawValue: parts[0].lowercased()) else {
                throw OptionError("--blend", "--blend: '\(item)' is not MODE=WEIGHT with MODE one of \(MatchMode.allCases.map(\.rawValue).joined(separator: ", ")) (e.g. peer=0.5,complement=1)")
            }
            guard let w = Double(parts[1]), w.isFinite, w >= 0 else {
                throw OptionError("--blend", "--blend: the weight of \(mode.rawValue) must be a non-negative number, not '\(parts[1])'")
            }
            guard weights[mode] == nil else { throw OptionError("--blend", "--blend: \(mode.rawValue) is given twice") }
            weights[mode] = w
        }
        self.init(peer: weights[.peer] ?? 0, complement: weights[.complement] ?? 0, diaspora: weights[.diaspora] ?? 0)
        if peer == 0 && complement == 0 && diaspora == 0 { throw OptionError("--blend", "--blend: at least one weight must be above 0") }
    }

    /// Whether the score is the peer score unchanged.
    public var isPeer: Bool { peer == 1 && complement == 0 && diaspora == 0 }

    /// `peer=1,complement=0.5`: the nonzero weights, for manifests and reports.
    public var description: String {
        [("peer", peer), ("complement", complement), ("diaspora", diaspora)].filter { $0.1 != 0 }
            .map { "\($0.0)=\(JSON.number($0.1))" }.joined(separator: ",")
    }

    /// The names of the contributions the complement and diaspora fits are reported as.
    public static let complementTerm = "complement"
    public static let diasporaTerm = "diaspora"
}

/// What a city seeks and offers, from its profile or what the request states (`Interests`), and how well
/// a candidate meets it: `C(q, c)` is the mean, over the themes `q` seeks and offers, of
///
/// - a theme `q` seeks: 0.75 × `c`'s offers value of it + 0.25 × `c`'s themes value of it;
/// - a theme `q` offers: 0.75 × `c`'s seeks value of it + 0.25 × `c`'s themes value of it;
///
/// where the values are those of the stored vectors (each group L2-normalised: 1 for a city that offers
/// one theme, 0.71 each for two). So `C` is an inner product of a query embedding (the city's seeks placed
/// against the candidates' offers, its offers against their seeks) with the stored vectors: the BLAS search
/// ranks it exactly, in the same pass as the peer score. A specialist that offers just the sought theme
/// scores 0.75 or more; a city that only works on it, much less.
public struct Complement: Sendable, Equatable {
    public let seeks: [String]
    public let offers: [String]
    /// The embedding: (stored column, weight) pairs.
    let embedding: [(column: Int, weight: Float)]

    public static func == (a: Complement, b: Complement) -> Bool { a.seeks == b.seeks && a.offers == b.offers }

    /// Row `q`'s seeks and offers, or what `stated` says instead when it says anything (what a city states
    /// it looks for now replaces what its profile records).
    public init(_ corpus: Corpus, row q: Int, stated: Interests = Interests()) {
        let p = corpus.profiles.profiles[q]
        let (s, o) = stated.isEmpty ? (p.seeks, p.offers) : (stated.seeks, stated.offers)
        seeks = Array(Set(s)).filter(corpus.schema.themes.contains).sorted()
        offers = Array(Set(o)).filter(corpus.schema.themes.contains).sorted()
        let ranges = corpus.schema.ranges, n = corpus.schema.themes.count
        let themes = ranges[.themes]?.lowerBound ?? 0, complement = ranges[.complementarity]?.lowerBound ?? 0
        let stated = Float(seeks.count + offers.count)
        var weights: [Int: Float] = [:]
        for (list, side) in [(seeks, 0), (offers, n)] {
            for t in list {
                guard let i = corpus.schema.themes.firstIndex(of: t) else { continue }
                weights[complement + side + i, default: 0] += 0.75 / stated
                weights[themes + i, default: 0] += 0.25 / stated
            }
        }
        embedding = weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public var isEmpty: Bool { seeks.isEmpty && offers.isEmpty }

    /// `C(q, c)` in `Double`.
    public func fit(_ c: Int, in corpus: Corpus) -> Double {
        let x = corpus.stored
        return embedding.reduce(0) { $0 + Double($1.weight) * Double(x[c, $1.column]) }
    }

    /// Adds `scale ×` the embedding to a query vector.
    func add(to row: inout [Float], scale: Float) {
        for (j, w) in embedding { row[j] += scale * w }
    }

    /// What candidate `c` brings, in words: "offers youth, which Idrija seeks".
    public func facts(_ c: Int, in corpus: Corpus, queryName: String) -> [String] {
        let p = corpus.profiles.profiles[c]
        let themes = Set(p.themes.map(\.key))
        var out: [String] = []
        for t in seeks {
            if p.offers.contains(t) { out.append("offers \(t), which \(queryName) seeks" + evidence(p, "offers", t)) }
            else if themes.contains(t) { out.append("works on \(t), which \(queryName) seeks") }
        }
        for t in offers {
            if p.seeks.contains(t) { out.append("seeks \(t), which \(queryName) offers" + evidence(p, "seeks", t)) }
            else if themes.contains(t) { out.append("works on \(t) too, which \(queryName) offers") }
        }
        return out.isEmpty ? ["meets none of what \(queryName) seeks or offers (\((seeks + offers).joined(separator: ", ")))"] : out
    }

    private func evidence(_ p: CityProfile, _ field: String, _ theme: String) -> String {
        let prefix = "\(field):\(theme)@"
        return p.sources.first { $0.hasPrefix(prefix) }.map { " (\($0.dropFirst(prefix.count)))" } ?? ""
    }
}

/// The diaspora fit `D(q, c) = ½ (√m_q[country c] + √m_c[country q])`, where `m` is a city's normalised
/// migration-link weights by origin country (its own links, or its country's: UN DESA migrant stock): how
/// much of our migrant population comes from the candidate's country, and of theirs from ours. The square
/// root lets smaller communities count (Italy's 1.7% Senegal-born residents give 0.26 of the largest
/// link's 0.9); both lookups are exact.
public struct Diaspora: Sendable {
    /// √ of the query's link weight towards each schema country.
    let inbound: [Float]
    let queryCountry: Int32
    let bound: Float

    public init(_ corpus: Corpus, row q: Int) {
        let groups = corpus.pairGroups
        var inbound = [Float](repeating: 0, count: corpus.schema.countries.count)
        for l in groups.links(of: q) where Int(l.country) < inbound.count { inbound[Int(l.country)] = l.weight.squareRoot() }
        self.inbound = inbound
        queryCountry = groups.country[q]
        let outbound = queryCountry >= 0 && Int(queryCountry) < groups.maxInbound.count ? groups.maxInbound[Int(queryCountry)] : 0
        bound = 0.5 * ((inbound.max() ?? 0) + outbound.squareRoot())
    }

    /// Whether the query has any migration link at all.
    public var isEmpty: Bool { bound == 0 }

    @inline(__always) func fit(_ c: Int, _ groups: PairGroups) -> Float {
        let cc = groups.country[c]
        let mine = cc >= 0 && Int(cc) < inbound.count ? inbound[Int(cc)] : 0
        return 0.5 * (mine + (queryCountry >= 0 ? groups.link(c, to: queryCountry).squareRoot() : 0))
    }

    /// `D(q, c)` in `Double`.
    public func fit(_ c: Int, in corpus: Corpus) -> Double {
        let groups = corpus.pairGroups, cc = groups.country[c]
        let mine = cc >= 0 && Int(cc) < inbound.count ? Double(inbound[Int(cc)]) : 0
        return 0.5 * (mine + (queryCountry >= 0 ? Double(groups.link(c, to: queryCountry)).squareRoot() : 0))
    }
}

/// The complement and diaspora parts of a search over some query rows, with the blend's weights applied.
struct ModeTerms: Sendable {
    let blend: Blend
    /// The ranker's `interestWeight`.
    let weight: Double
    let complements: [Complement]
    let diasporas: [Diaspora]

    /// The terms for `rows` under `filter` (nil when the score is the peer score alone).
    init?(_ corpus: Corpus, rows: [Int], filter: CandidateFilter, weight: Double) {
        let blend = filter.blend
        guard !blend.isPeer else { return nil }
        self.blend = blend
        self.weight = weight
        complements = blend.complement > 0 ? parallelMap(rows.count) { Complement(corpus, row: rows[$0], stated: filter.interests) } : []
        diasporas = blend.diaspora > 0 ? parallelMap(rows.count) { Diaspora(corpus, row: rows[$0]) } : []
    }

    /// The query matrix scaled by the peer weight, with the complement embeddings added (`queries` may have
    /// no columns: a model tier without content terms), and the bias scaled by the peer weight.
    func adjust(queries: FloatMatrix, bias: [Float]?, dimension: Int) -> (FloatMatrix, [Float]?) {
        let peer = Float(blend.peer), c = Float(weight * blend.complement)
        let bias = peer == 1 ? bias : bias.map { $0.map { $0 * peer } }
        guard !complements.isEmpty else {
            return (peer == 1 ? queries : FloatMatrix(rows: queries.rows, cols: queries.cols, values: queries.values.map { $0 * peer }), bias)
        }
        let q = FloatMatrix.build(rows: queries.rows, cols: dimension) { i in
            var row = queries.cols == 0 ? [Float](repeating: 0, count: dimension) : queries.row(i).map { $0 * peer }
            complements[i].add(to: &row, scale: c)
            return row
        }
        return (q, bias)
    }

    /// The contributions of candidate `c` of query index `i` besides the peer terms, in `Double`.
    func contributions(_ i: Int, _ c: Int, _ corpus: Corpus) -> [Contribution] {
        var out: [Contribution] = []
        if !complements.isEmpty { out.append(Contribution(name: Blend.complementTerm, value: weight * blend.complement * complements[i].fit(c, in: corpus))) }
        if !diasporas.isEmpty { out.append(Contribution(name: Blend.diasporaTerm, value: weight * blend.diaspora * diasporas[i].fit(c, in: corpus))) }
        return out
    }

    /// The peer contributions scaled by the blend, then the others.
    func blended(_ peer: [Contribution], _ i: Int, _ c: Int, _ corpus: Corpus) -> [Contribution] {
        (blend.peer == 1 ? peer : peer.map { Contribution(name: $0.name, value: $0.value * blend.peer) }) + contributions(i, c, corpus)
    }
}

/// A search's extra terms under a blend: the peer's scaled, plus the diaspora lookups.
struct BlendedTerms<Base: PairTerms>: PairTerms {
    let base: Base
    let peer: Float
    let diaspora: Float
    let diasporas: [Diaspora]
    let groups: PairGroups

    init(base: Base, modes: ModeTerms, groups: PairGroups) {
        self.base = base
        peer = Float(modes.blend.peer)
        diaspora = Float(modes.weight * modes.blend.diaspora)
        diasporas = modes.diasporas
        self.groups = groups
    }

    @inline(__always) func own(_ q: Int, _ c: Int) -> Float { diasporas.isEmpty ? 0 : diaspora * diasporas[q].fit(c, groups) }
    @inline(__always) func ownBound(_ q: Int) -> Float {
        diasporas.isEmpty ? 0 : diaspora * diasporas[q].bound * (1 + 1e-5) + 1e-5
    }

    func bound(query q: Int) -> Float { (peer == 0 ? 0 : peer * base.bound(query: q)) + ownBound(q) }
    func extra(query q: Int, candidate c: Int) -> Float { (peer == 0 ? 0 : peer * base.extra(query: q, candidate: c)) + own(q, c) }
    func mustScore(query q: Int, candidate c: Int) -> Bool { peer != 0 && base.mustScore(query: q, candidate: c) }
    func cheap(query q: Int, candidate c: Int) -> Float { (peer == 0 ? 0 : peer * base.cheap(query: q, candidate: c)) + own(q, c) }
    func rest(query q: Int, candidate c: Int) -> Float { peer == 0 ? 0 : peer * base.rest(query: q, candidate: c) }
    func restBound(query q: Int) -> Float { peer == 0 ? 0 : peer * base.restBound(query: q) }
    func bound(query q: Int, candidate c: Int) -> Float {
        (peer == 0 ? 0 : peer * base.bound(query: q, candidate: c)) + ownBound(q)
    }
}

extension ExactSearch {
    /// `topK` under a blend: the peer's query matrix, bias and extras adjusted by `modes` (nil: unchanged).
    static func topK<E: PairTerms>(queries: FloatMatrix, candidates: FloatMatrix, k: Int, tieRank: [Int32], bias: [Float]?,
                                   extras: E, modes: ModeTerms?, groups: PairGroups, options: SearchOptions,
                                   admissible: Admissible?) -> [[Neighbor]] {
        guard let modes else {
            return topK(queries: queries, candidates: candidates, k: k, tieRank: tieRank, bias: bias, extras: extras,
                        options: options, admissible: admissible)
        }
        let (q, b) = modes.adjust(queries: queries, bias: bias, dimension: candidates.cols)
        return topK(queries: q, candidates: candidates, k: k, tieRank: tieRank, bias: b,
                    extras: BlendedTerms(base: extras, modes: modes, groups: groups), options: options, admissible: admissible)
    }
}

extension ModeTerms {
    /// The terms of the query indices `indices`, in that order.
    func subset(_ indices: [Int]) -> ModeTerms {
        ModeTerms(blend: blend, weight: weight, complements: complements.isEmpty ? [] : indices.map { complements[$0] },
                  diasporas: diasporas.isEmpty ? [] : indices.map { diasporas[$0] })
    }

    init(blend: Blend, weight: Double, complements: [Complement], diasporas: [Diaspora]) {
        self.blend = blend
        self.weight = weight
        self.complements = complements
        self.diasporas = diasporas
    }
}

extension CandidateFilter {
    /// Why the blend cannot score `query`: a mode whose data the city lacks (nil when it can).
    public func modeProblem(query q: Int, corpus: Corpus) -> OptionError? {
        let p = corpus.profiles.profiles[q]
        if blend.complement > 0 && Complement(corpus, row: q, stated: interests).isEmpty {
            return OptionError("--mode", "\(p.name) has no offers or seeks in its profile, so the complement fit has nothing to match: state them with --seeks THEME or --offers THEME")
        }
        if blend.diaspora > 0 && Diaspora(corpus, row: q).isEmpty {
            return OptionError("--mode", "\(p.name) has no migration links, nor has its country (\(p.country)) in the migrant-stock figures, so the diaspora fit has nothing to match")
        }
        return nil
    }
}
