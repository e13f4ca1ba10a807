import Foundation

extension ModelRanker {
    /// Every nonzero term of the pair as a contribution (weight × value); they add up to the score.
    public func contributions(query: Int, candidate: Int) -> [Contribution] {
        contributions(context.query(query), candidate: candidate)
    }

    func contributions(_ terms: QueryTerms, candidate: Int) -> [Contribution] {
        explain(terms, candidate: candidate).filter { $0.weight != 0 }.map { Contribution(name: $0.term.rawValue, value: $0.weight * $0.value) }
    }

    /// Ranked candidates for each query row under `filter` (known partners always excluded), with every
    /// score split into the model's terms.
    public func recommend(queries: [Int], limit: Int, filter: CandidateFilter = CandidateFilter()) -> [RecommendationList] {
        let modes = modeTerms(queries, filter)
        let (lists, searched) = search(queries: queries, k: pool(limit, filter), modes: modes) { [self] q, c in
            admits(query: q, candidate: c, filter: filter)
        }
        // Each query's terms serve all of its listed candidates: those the search built, or built for the
        // listed candidates only; the queries in parallel.
        return parallelMap(queries.count) { i in
            let q = queries[i], listed = shaped(lists[i], limit: limit, filter: filter)
            let terms = searched[i] ?? QueryTerms(context: context, query: q, only: listed.map { Int32($0.row) })
            return ranked(q, listed.map { n -> Recommendation in
                let own = contributions(terms, candidate: n.row)
                let parts = modes?.blended(own, i, n.row, corpus) ?? own
                return Recommendation(rank: 0, row: n.row, score: parts.reduce(0) { $0 + $1.value }, contributions: parts,
                                      distanceKm: corpus.distanceKm(q, n.row), sharedThemes: corpus.sharedThemes(q, n.row))
            })
        }
    }

    /// The pair's explanation with the model's score and terms.
    public func explain(_ a: Int, _ b: Int) -> Explanation {
        explanation(a, b, contributions: contributions(query: a, candidate: b))
    }

    /// The scale of a model without a calibration of its own (README, "The score").
    public static let defaultScale = ScoreScale(.logistic(centre: 53.4, width: 9.4))

    /// The shown score: a logistic of the raw score, anchored where `fit` put the model's typical best
    /// candidates (`TwinModel.scale`: the quartiles of the best candidate's raw score at 25, 50 and 75).
    public var scale: ScoreScale {
        model.scale.map { ScoreScale(.logistic(centre: $0.centre, width: $0.width)) } ?? Self.defaultScale
    }

    public func family(of term: String) -> ReasonFamily {
        Self.modeFamily(term) ?? Self.termFamilies[term] ?? .themes
    }

    /// Each term's family by its name: one hash, where parsing the name would try every case.
    static let termFamilies = Dictionary(uniqueKeysWithValues: ModelTerm.allCases.map { ($0.rawValue, $0.family) })

    /// A full complement or diaspora fit (`Blend`) moves a candidate by twice the span between a typical
    /// city's weaker and stronger best candidates (the scale's 25th to 75th percentile): 4 ln 3 × its width.
    public var interestWeight: Double {
        if case .logistic(_, let width) = scale.form { return 4 * log(3.0) * width }
        return 20
    }
}
