import Foundation

// Raw scores of many pairs, without the facts an explanation gathers: what a consortium needs to know how
// well the members of a pool fit each other (P × (P − 1) directed pairs).

extension ModelRanker {
    /// The model's raw score of each candidate for `query`: the query's pair and graph terms
    /// (`QueryTerms`, the costly part) are built once for all of them.
    public func rawScores(query: Int, candidates: [Int]) -> [Double] {
        let terms = context.query(query)
        return candidates.map { c in explain(terms, candidate: c).reduce(0) { $0 + $1.value * $1.weight } }
    }
}

extension ContentRanker {
    /// The weighted similarity of each candidate to `query`.
    public func rawScores(query: Int, candidates: [Int]) -> [Double] {
        candidates.map { c in contributions(query: query, candidate: c).reduce(0) { $0 + $1.value } }
    }
}
