import Foundation

/// Ranks and explains with a `TwinModel` over a `TermContext`: the dense content terms through the BLAS
/// search, candidate terms as a per-candidate bias, pair and graph terms as bounded extras.
public struct ModelRanker: Ranker {
    public let context: TermContext
    public let model: TwinModel
    public let search: SearchOptions
    /// Queries scored together: bounds the memory of their lookup arrays.
    static let chunk = 512

    /// The positions of the candidate-only terms in `ModelTerm.allCases`.
    static let candidateTerms = ModelTerm.allCases.indices.filter { ModelTerm.allCases[$0].kind == .candidate }

    /// Per tier, the candidate terms of every candidate plus the centring offset.
    let bias: [[Float]]
    /// The candidates in blocks with bounds of their terms, for a single query that reads only the blocks
    /// that can reach its top k (`withCandidateBlocks()`); nil to stream every candidate.
    public private(set) var blocks: ModelBlocks?

    public init(context: TermContext, model: TwinModel, search: SearchOptions = SearchOptions()) {
        self.context = context
        self.model = model
        self.search = search
        let n = context.profiles.count
        // The candidate terms, plus the centring offset (the same for every candidate of a query).
        bias = model.tiers.indices.map { tier in
            let w = model.tiers[tier].weights, offset = Float(model.offset(tier: tier)), columns = context.candidateColumns
            return (0..<n).map { c in Self.candidateTerms.reduce(offset) { $0 + Float(w[$1]) * columns[$1][c] } }
        }
    }

    /// The same ranker with candidate blocks: a request of a few queries without a complement or diaspora
    /// blend then reads only the blocks of candidates whose bound reaches its top k (a server's requests);
    /// the results are those of the full search up to the rounding of the BLAS kernels (a few ulps of a
    /// Float score). Building them takes a pass over the stored vectors.
    public func withCandidateBlocks() -> ModelRanker {
        var ranker = self
        ranker.blocks = ModelBlocks(context: context, bias: bias)
        return ranker
    }

    /// Queries at most this many are searched block by block when the ranker has blocks.
    static let blockQueries = 8

    /// The model tier of a query row: by its number of known partners.
    public func tier(_ query: Int) -> Int { model.tier(partners: context.graph.degree(query)) }

    public var corpus: Corpus { context.corpus }
    public var graph: PairGraph { context.graph }

    func groupWeights(_ w: [ModelTerm: Double]) -> GroupWeights {
        var g = GroupWeights([:])
        for t in ModelTerm.allCases where t.kind == .dense { g[t.group!] = w[t] ?? 0 }
        return g
    }

    /// The pair and graph terms of a batch of queries, folded per query into flat lookup arrays so that a
    /// candidate costs a few loads and one distance. The sparse parts (region affinity and graph terms) are
    /// nonzero on a few candidates per query, marked in a bitset: those are always scored, and the bound
    /// that lets the search skip everyone else leaves them out. For the block search (`blocks`), only the
    /// graph terms are marked: each block's bound covers its regions, so the bound over every other
    /// candidate takes in the best region term too.
    struct Extras: PairTerms {
        let rows: [Int]
        let countryRow: [Float]      // queries × countries
        let regionRow: [Float]       // queries × regions
        /// Query `i`'s graph terms: the candidates `graphRows[graphStart[i]..<graphStart[i + 1]]`, ascending,
        /// with their weighted sums in `graphScores`.
        let graphStart: [Int], graphRows: [Int32], graphScores: [Float]
        let sparse: [UInt64]         // queries × words: candidates with region (without blocks) or graph terms
        let linked: [UInt64]         // queries × words: candidates with graph terms (in `graphRows`)
        let words: Int
        let bounds: [Float]
        /// Per query: a bound of the distance terms (`rest`), over every candidate.
        let distanceBounds: [Float]
        /// Per query: `bounds` without the country and region terms.
        let otherBounds: [Float]
        /// Per query: the weighted coefficients of lp(c), x and x² (size and distance against q's partners).
        let sizeSlope: [Float], distanceSlope: [Float]
        let distanceCurve: Float
        /// Per query: the weight of renown(c).
        let renownWeight: [Float]
        let inbound: Float, near300: Float, near1000: Float, near3000: Float, sizeProduct: Float, hubProduct: Float
        let context: TermContext
        /// The candidates' blocks, for the single-query search (`ModelBlocks`).
        let blocks: ModelBlocks?
        /// With blocks (a few queries), each query's terms, for its reasons to reuse.
        let queryTerms: [QueryTerms?]

        init(context: TermContext, rows: [Int], weights w: [ModelTerm: Double], blocks: ModelBlocks? = nil) {
            self.context = context
            self.rows = rows
            self.blocks = blocks
            @Sendable func f(_ t: ModelTerm) -> Float { Float(w[t] ?? 0) }
            let groups = context.corpus.pairGroups
            let nC = context.countryCount, nR = context.regionCount
            let n = context.profiles.count
            let words = (n + 63) / 64
            self.words = words
            let continents = context.corpus.schema.countries.map { Countries.named($0)?.continent }
            let inbound = 0.5 * f(.migration)
            self.inbound = inbound
            near300 = f(.near300); near1000 = f(.near1000); near3000 = f(.near3000)
            let sizeProduct = f(.sizeProduct), hubProduct = f(.hubProduct)
            self.sizeProduct = sizeProduct
            self.hubProduct = hubProduct
            let near = max(0, f(.near300)) + max(0, f(.near1000)) + max(0, f(.near3000))
            let distanceCurve = f(.logDistanceSquared)
            self.distanceCurve = distanceCurve
            let graphWeights = QueryTerms.graphTerms.map(f)
            // A query's own terms (graph, region, its partners' sizes and distances), where some weight reads them.
            let readsQueryTerms = graphWeights.contains { $0 != 0 } || [.regionAffinity, .partnerSize, .partnerDistance].contains { f($0) != 0 }
            // The weights the loops over countries and regions read, looked up once.
            let wCountryAffinity = f(.countryAffinity), wSharedLanguage = f(.sharedLanguage), wCountry = f(.country)
            let wRegionToCountry = f(.regionToCountry), wCountryToRegion = f(.countryToRegion), wRegionAffinity = f(.regionAffinity)
            // Each query's rows and bounds, in parallel; then laid out flat.
            let perQuery: [QueryRow] = parallelMap(rows.count) { i in
                let q = rows[i]
                var row = QueryRow(countries: nC, regions: nR, words: words)
                let cq = Int(context.country[q])
                if cq >= 0 {
                    for j in 0..<nC {
                        var v = wCountryAffinity * context.countryAffinity[cq * nC + j] + wSharedLanguage * context.sharedLanguage[cq * nC + j]
                        v += wCountry * (j == cq ? 1 : (continents[j] != nil && continents[j] == continents[cq] ? 0.5 : 0))
                        row.country[j] = v
                    }
                }
                for l in groups.links(of: q) { row.country[Int(l.country)] += inbound * l.weight }
                let rq = Int(context.region[q])
                if wRegionToCountry != 0 {
                    for j in 0..<nC { row.country[j] += wRegionToCountry * context.regionToCountry[rq * nC + j] }
                }
                var regionMax: Float = 0
                if cq >= 0 && wCountryToRegion != 0 {
                    for r in 0..<nR {
                        let v = wCountryToRegion * context.countryToRegion[cq * nR + r]
                        row.region[r] = v
                        regionMax = max(regionMax, v)
                    }
                }
                let terms = readsQueryTerms ? context.query(q) : nil
                if let terms, wRegionAffinity != 0 {
                    for (r, v) in terms.regionRow {
                        row.region[Int(r)] += wRegionAffinity * v
                        if blocks == nil {
                            for c in context.regionRows[Int(r)] { row.sparse[Int(c) / 64] |= 1 << UInt64(Int(c) % 64) }
                        }
                    }
                }
                if let terms {
                    for (c, s) in zip(terms.graphRows, terms.graphSums(graphWeights)) where s != 0 {
                        row.graphRows.append(c)
                        row.graphScores.append(s)
                        row.sparse[Int(c) / 64] |= 1 << UInt64(Int(c) % 64)
                        row.linked[Int(c) / 64] |= 1 << UInt64(Int(c) % 64)
                    }
                }
                let sizeWeight = sizeProduct * context.logPopulation[q] + f(.partnerSize) * (terms?.partnerLogPopulation ?? 0)
                let distanceWeight = f(.logDistance) + f(.partnerDistance) * (terms?.partnerLogDistance ?? 0)
                row.sizeSlope = sizeWeight
                row.renownWeight = f(.renownProduct) * context.renown[q]
                row.distanceSlope = distanceWeight
                if blocks != nil { row.terms = terms }
                // Bound over the candidates outside the sparse set.
                let dq = context.logDegree[q]
                var countryMax = row.country.max() ?? 0
                if context.hasCountrylessRows { countryMax = max(countryMax, 0) }
                if blocks != nil { regionMax = max(regionMax, row.region.max() ?? 0) }
                var b = countryMax
                b += cq >= 0 ? max(0, inbound * groups.maxInbound[cq]) : 0
                b += regionMax
                b += max(sizeWeight * context.maxLogPopulation, sizeWeight * context.minLogPopulation)
                // a·x + c·x² over x in [0, X]: the larger end, or the vertex when it lies inside.
                let xMax = TermContext.maxLogDistance
                var curve = max(0, distanceWeight * xMax + distanceCurve * xMax * xMax)
                if distanceCurve < 0 {
                    let vertex = -distanceWeight / (2 * distanceCurve)
                    if vertex > 0 && vertex < xMax { curve = max(curve, distanceWeight * vertex + distanceCurve * vertex * vertex) }
                }
                let distanceBound = near + curve
                row.distanceBound = distanceBound + abs(distanceBound) * 1e-5 + 1e-5
                b += distanceBound
                b += max(hubProduct * dq * context.maxLogDegree, 0)
                b += max(row.renownWeight * context.maxRenown, 0)
                row.bound = b + abs(b) * 1e-5 + 1e-5
                // The same without the country and region terms, which `bound(query:candidate:)` looks up.
                let other = b - countryMax - regionMax
                row.otherBound = other + (abs(other) + abs(countryMax) + abs(regionMax)) * 1e-5 + 1e-5
                return row
            }
            countryRow = perQuery.flatMap(\.country)
            regionRow = perQuery.flatMap(\.region)
            sparse = perQuery.flatMap(\.sparse)
            linked = perQuery.flatMap(\.linked)
            graphStart = perQuery.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.graphRows.count) }
            graphRows = perQuery.flatMap(\.graphRows)
            graphScores = perQuery.flatMap(\.graphScores)
            bounds = perQuery.map(\.bound)
            distanceBounds = perQuery.map(\.distanceBound)
            otherBounds = perQuery.map(\.otherBound)
            sizeSlope = perQuery.map(\.sizeSlope)
            renownWeight = perQuery.map(\.renownWeight)
            distanceSlope = perQuery.map(\.distanceSlope)
            queryTerms = perQuery.map(\.terms)
        }

        /// One query's lookup rows, sparse marks and bounds.
        struct QueryRow {
            var country: [Float], region: [Float]
            var sparse: [UInt64], linked: [UInt64]
            var graphRows: [Int32] = [], graphScores: [Float] = []
            var terms: QueryTerms?
            var sizeSlope: Float = 0, distanceSlope: Float = 0, renownWeight: Float = 0
            var bound: Float = 0, distanceBound: Float = 0, otherBound: Float = 0
            init(countries: Int, regions: Int, words: Int) {
                country = [Float](repeating: 0, count: countries)
                region = [Float](repeating: 0, count: regions)
                sparse = [UInt64](repeating: 0, count: words)
                linked = sparse
            }
        }

        func bound(query: Int) -> Float { bounds[query] }

        @inline(__always)
        func mustScore(query i: Int, candidate c: Int) -> Bool {
            sparse[i * words + c / 64] & (1 << UInt64(c % 64)) != 0
        }

        @inline(__always)
        func extra(query i: Int, candidate c: Int) -> Float { cheap(query: i, candidate: c) + rest(query: i, candidate: c) }

        func restBound(query i: Int) -> Float { distanceBounds[i] }

        /// The candidate's country and region terms exactly, the others bounded.
        @inline(__always)
        func bound(query i: Int, candidate c: Int) -> Float {
            bound(query: i, country: context.country[c], region: context.region[c])
        }

        /// `bound(query:candidate:)` of a candidate in that country and region.
        @inline(__always)
        func bound(query i: Int, country cc: Int32, region: Int32) -> Float {
            let ctx = context
            let country = cc >= 0 ? countryRow[i * ctx.countryCount + Int(cc)] : 0
            return country + regionRow[i * ctx.regionCount + Int(region)] + otherBounds[i]
        }

        /// The lookups: countries, regions, size, renown, hubs, migration and the sparse graph terms.
        @inline(__always)
        func cheap(query i: Int, candidate c: Int) -> Float {
            var graph: Float = 0
            if linked[i * words + c / 64] & (1 << UInt64(c % 64)) != 0,
               let p = sortedPosition(of: Int32(truncatingIfNeeded: c), in: graphRows, range: graphStart[i]..<graphStart[i + 1]) {
                graph = graphScores[p]
            }
            return cheap(query: i, candidate: c, graph: graph)
        }

        /// `cheap` with the candidate's graph terms (`graphScores`) given.
        @inline(__always)
        func cheap(query i: Int, candidate c: Int, graph: Float) -> Float {
            let ctx = context, groups = ctx.corpus.pairGroups
            return cheap(query: i, country: ctx.country[c], region: ctx.region[c], logPopulation: ctx.logPopulation[c], renown: ctx.renown[c],
                         logDegree: ctx.logDegree[c], link: { groups.link(c, to: $0) }, graph: graph)
        }

        /// `cheap` of a candidate given by what the terms read of it: its country, region, lp, renown, log
        /// degree, its migration link from an origin country, and its graph terms.
        @inline(__always)
        func cheap(query i: Int, country cc: Int32, region: Int32, logPopulation: Float, renown: Float, logDegree: Float,
                   link: (Int32) -> Float, graph: Float) -> Float {
            let q = rows[i]
            let ctx = context
            var s: Float = 0
            if cc >= 0 { s += countryRow[i * ctx.countryCount + Int(cc)] }
            if inbound != 0, ctx.country[q] >= 0 { s += inbound * link(ctx.country[q]) }
            s += sizeSlope[i] * logPopulation + renownWeight[i] * renown
            s += hubProduct * ctx.logDegree[q] * logDegree
            s += regionRow[i * ctx.regionCount + Int(region)]
            return s + graph
        }

        /// The terms of the distance: a great-circle distance, kernels and a logarithm.
        @inline(__always)
        func rest(query i: Int, candidate c: Int) -> Float {
            rest(query: i, km: Float(context.distanceKm(rows[i], c)))
        }

        /// `rest` of a candidate at `km` from the query.
        @inline(__always)
        func rest(query i: Int, km: Float) -> Float {
            var s: Float = 0
            if near300 != 0 { s += near300 * exp(-km / 300) }
            if near1000 != 0 { s += near1000 * exp(-km / 1000) }
            if near3000 != 0 { s += near3000 * exp(-km / 3000) }
            if distanceSlope[i] != 0 || distanceCurve != 0 {
                let x = log1p(km / 100)
                s += (distanceSlope[i] + distanceCurve * x) * x
            }
            return s
        }
    }

    /// Scores queries of one tier with the search; `body` receives the dense query and candidate matrices,
    /// the bias and the extras. A tier without content weights (a baseline) gets matrices of no columns:
    /// its inner products are all 0, so the GEMM is skipped.
    /// With `dense`, the candidate matrix is the stored vectors whatever the weights.
    /// With `blocks`, the extras are those of the block search.
    func withScorers<R>(_ rows: [Int], tier: Int, dense: Bool = false, blocks: ModelBlocks? = nil,
                        _ body: (FloatMatrix, FloatMatrix, [Float], Extras) -> R) -> R {
        let w = model.weights(tier: tier)
        let extras = Extras(context: context, rows: rows, weights: w, blocks: blocks)
        let groups = groupWeights(w)
        guard FeatureGroup.allCases.contains(where: { !$0.isPairGroup && groups[$0] != 0 }) else {
            if dense { return body(FloatMatrix(rows: rows.count, cols: 0, values: []), corpus.stored, bias[tier], extras) }
            return body(FloatMatrix(rows: rows.count, cols: 0, values: []), FloatMatrix(rows: corpus.stored.rows, cols: 0, values: []),
                        bias[tier], extras)
        }
        return body(corpus.extractor.queryMatrix(corpus.stored, rows: rows, weights: groups), corpus.stored, bias[tier], extras)
    }

    /// The query indices of each tier, in chunks of at most `chunk`.
    func batches(_ queries: [Int]) -> [(tier: Int, indices: [Int])] {
        model.tiers.indices.flatMap { t -> [(tier: Int, indices: [Int])] in
            let all = queries.indices.filter { tier(queries[$0]) == t }
            return stride(from: 0, to: all.count, by: Self.chunk).map { (t, Array(all[$0..<min(all.count, $0 + Self.chunk)])) }
        }
    }

    /// The best `k` candidates of each query row that `admissible` (query row, candidate row) accepts, best
    /// first, with their `Float` scores.
    public func neighbours(queries: [Int], k: Int, admissible: @escaping ExactSearch.Admissible) -> [[Neighbor]] {
        neighbours(queries: queries, k: k, modes: nil, admissible: admissible)
    }

    /// Under `modes` (the query indices of `modes` are those of `queries`), the blend's scores.
    func neighbours(queries: [Int], k: Int, modes: ModeTerms?, admissible: @escaping ExactSearch.Admissible) -> [[Neighbor]] {
        search(queries: queries, k: k, modes: modes, admissible: admissible).lists
    }

    /// `neighbours`, with the terms of each query the block search built (nil for the others).
    func search(queries: [Int], k: Int, modes: ModeTerms?,
                admissible: @escaping ExactSearch.Admissible) -> (lists: [[Neighbor]], terms: [QueryTerms?]) {
        var out = [[Neighbor]](repeating: [], count: queries.count)
        var terms = [QueryTerms?](repeating: nil, count: queries.count)
        for (tier, idx) in batches(queries) {
            let rows = idx.map { queries[$0] }
            if let blocks, modes == nil, rows.count <= Self.blockQueries {
                let (lists, built) = withScorers(rows, tier: tier, blocks: blocks) { q, candidates, bias, extras in
                    let lists = rows.indices.map { i in
                        ExactSearch.topK(query: i, queries: q, candidates: candidates, blocks: blocks.blocks, k: k, tieRank: corpus.idRank,
                                         bias: bias, blockBias: blocks.bias[tier], blockOrderBias: blocks.placeBias[tier],
                                         extras: extras) { i, c in admissible(rows[i], c) }
                    }
                    return (lists, extras.queryTerms)
                }
                for (j, i) in idx.enumerated() { (out[i], terms[i]) = (lists[j], built[j]) }
                continue
            }
            let lists = withScorers(rows, tier: tier, dense: modes?.complements.isEmpty == false) { q, candidates, bias, extras in
                ExactSearch.topK(queries: q, candidates: candidates, k: k, tieRank: corpus.idRank, bias: bias, extras: extras,
                                 modes: modes?.subset(idx), groups: corpus.pairGroups, options: search) { i, c in admissible(rows[i], c) }
            }
            for (j, i) in idx.enumerated() { out[i] = lists[j] }
        }
        return (out, terms)
    }

    /// Every term of the pair with its weight and contribution (weight × value), in term order.
    /// `value` is centred (the term's raw value minus the model's centre for it).
    public func explain(query: Int, candidate: Int) -> [(term: ModelTerm, value: Double, weight: Double)] {
        explain(context.query(query), candidate: candidate)
    }

    /// `explain` with the query's terms already built (one `QueryTerms` serves all of its candidates).
    func explain(_ qt: QueryTerms, candidate: Int) -> [(term: ModelTerm, value: Double, weight: Double)] {
        let corpus = self.corpus, weights = model.tiers[tier(qt.query)]
        let values = qt.row(candidate, similarities: corpus.extractor.similarityValues(corpus.stored.row(qt.query), corpus.stored.row(candidate)))
        return ModelTerm.allCases.enumerated().map { k, t in (t, values[k] - weights.centres[k], weights.weights[k]) }
    }

    /// The score of a pair, as the sum of its contributions (Double).
    public func score(query: Int, candidate: Int) -> Double {
        explain(query: query, candidate: candidate).reduce(0) { $0 + $1.value * $1.weight }
    }

    /// The 1-based rank of each target among the admissible candidates of its query.
    public func ranks(queries: [Int], targets: [Int], admissible: @escaping ExactSearch.Admissible) -> [Int] {
        var out = [Int](repeating: 0, count: queries.count)
        for (tier, idx) in batches(queries) {
            let rows = idx.map { queries[$0] }, tgts = idx.map { targets[$0] }
            let scores = zip(rows, tgts).map { Float(score(query: $0, candidate: $1)) }
            let r = withScorers(rows, tier: tier) { q, candidates, bias, extras in
                ExactSearch.ranks(queries: q, candidates: candidates, targets: tgts, targetScores: scores,
                                  tieRank: corpus.idRank, bias: bias, extras: extras, options: search) { i, c in
                    admissible(rows[i], c)
                }
            }
            for (j, i) in idx.enumerated() { out[i] = r[j] }
        }
        return out
    }
}
