import Foundation

// Raw scores of many pairs, without the facts an explanation gathers: what a consortium needs to know how
// well the members of a pool fit each other (P × (P − 1) directed pairs).

extension ModelRanker {
    /// The model's raw score of each candidate for `query`: the query's pair and graph terms
    /// (`QueryTerms`, the costly part) are built once for all of them, and for them only.
    public func rawScores(query: Int, candidates: [Int]) -> [Double] {
        let terms = QueryTerms(context: context, query: query, only: candidates.map(Int32.init))
        return candidates.map { c in explain(terms, candidate: c).reduce(0) { $0 + $1.value * $1.weight } }
    }
}

extension ContentRanker {
    /// The weighted similarity of each candidate to `query`.
    public func rawScores(query: Int, candidates: [Int]) -> [Double] {
        candidates.map { c in contributions(query: query, candidate: c).reduce(0) { $0 + $1.value } }
    }
}

extension TermContext {
    /// `surroundings(z)` among `rows` only: the rows within `nearbyKm` of z (not z) with their kernel
    /// weights, by the same distance as the grid, so the weights are the same.
    func surroundings(_ z: Int32, among rows: [Int32]) -> [(row: Int32, weight: Float)] {
        let lat = latitudes[Int(z)], lon = longitudes[Int(z)]
        return rows.compactMap { r in
            guard r != z else { return nil }
            let km = haversineKm(lat, lon, latitudes[Int(r)], longitudes[Int(r)])
            return km <= Self.nearbyKm ? (r, Float(exp(-km / Self.nearbyScaleKm))) : nil
        }
    }
}
