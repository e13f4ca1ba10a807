import Foundation

/// The pair and graph terms of one query: the graph terms as a sparse map over the candidates they reach.
public final class QueryTerms: Sendable {
    let context: TermContext
    public let query: Int
    /// Mean lp and mean x = ln(1 + d / 100 km) over the query's partners (0 without partners).
    public let partnerLogPopulation: Float
    public let partnerLogDistance: Float
    /// The candidates the graph terms reach, ascending; candidate `graphRows[i]` has its values at
    /// `graphValues[s * width..<(s + 1) * width]` with `s = graphSlots[i]` (the values stay in the order
    /// the candidates were reached: no copy to row order).
    let graphRows: [Int32]
    let graphSlots: [Int32]
    let graphValues: [Float]
    let regionRow: [Int32: Float]

    static let graphTerms = ModelTerm.graphTerms
    static let width = ModelTerm.graphTerms.count
    /// The slot of each graph term in a candidate's values.
    static let slot: [ModelTerm: Int] = Dictionary(uniqueKeysWithValues: graphTerms.enumerated().map { ($1, $0) })

    /// - Parameter only: the candidates whose graph terms are wanted (nil: every candidate). The others
    ///   are skipped, and their surroundings read only for these, so terms for a few candidates cost a
    ///   few distances instead of a grid search per partnered place; their values are the same.
    init(context: TermContext, query q: Int, only: [Int32]? = nil) {
        self.context = context
        query = q
        let g = context.graph
        var sums = GraphSums(query: Int32(truncatingIfNeeded: q), places: context.profiles.count, only: only)
        let targets = sums.targets
        func index(_ t: ModelTerm) -> Int { Self.slot[t] ?? 0 }
        let iCommon = index(.commonPartners), iRA = index(.resourceAllocation), iThree = index(.threeHop)
        let iNearby = index(.twinnedNearby), iArea = index(.twinnedInArea)
        let iNearPartners = index(.nearPartners), iNeighbours = index(.neighboursTwinned)
        let iName = index(.sameName), iCrowd = index(.namesakeCrowd)
        let iTwoHop = index(.twoHop), iShare = index(.twoHopShare), iWalkTwo = index(.logWalkTwo), iWalkThree = index(.logWalkThree)
        /// The places within `TermContext.nearbyKm` of z with their kernel weights (only the wanted ones).
        func surroundings(_ z: Int32) -> [(row: Int32, weight: Float)] {
            targets.map { context.surroundings(z, among: $0) } ?? context.surroundings(z)
        }
        // The places two hops away, wanted or not, marked in a bitset as they are met.
        var twoHopMarks = [UInt64](repeating: 0, count: (context.profiles.count + 63) / 64)
        var twoHops = 0
        for z in g.neighbours[q] {
            let dz = g.degree(Int(z))
            for y in g.neighbours[Int(z)] where Int(y) != q {
                let bit: UInt64 = 1 << UInt64(Int(y) % 64)
                if twoHopMarks[Int(y) / 64] & bit == 0 {
                    twoHopMarks[Int(y) / 64] |= bit
                    twoHops += 1
                }
                sums.add(y, iCommon, 1)
                sums.add(y, iRA, 1 / Float(dz))
                let dy = g.degree(Int(y))
                for c in g.neighbours[Int(y)] where Int(c) != q { sums.add(c, iThree, 1 / Float(dz * dy)) }
            }
            for (c, w) in surroundings(z) { sums.add(c, iNearPartners, w) }
        }
        let lat = context.latitudes[q], lon = context.longitudes[q]
        for (z, km) in context.partnered.within(km: TermContext.nearbyKm, lat: lat, lon: lon) where z != q {
            let kz = Float(exp(-km / TermContext.nearbyScaleKm))
            for y in g.neighbours[z] where Int(y) != q {
                sums.add(y, iNearby, kz)
                for (c, w) in surroundings(y) { sums.add(c, iNeighbours, kz * w) }
            }
        }
        for (z, km) in context.partnered.within(km: TermContext.areaKm, lat: lat, lon: lon) where z != q {
            let kz = Float(exp(-km / TermContext.areaScaleKm)) / Float(g.degree(z))
            for y in g.neighbours[z] where Int(y) != q { sums.add(y, iArea, kz) }
        }

        let namesakes = context.namesakes(of: q)
        let crowd = Float(log(Double(max(1, namesakes.count - 1))))
        for c in namesakes where Int(c) != q {
            sums.add(c, iName, 1)
            sums.add(c, iCrowd, crowd)
        }
        // Random-walk forms of the path counts: each per partner of q.
        let walk = 1000 / Float(max(1, g.degree(q)))
        let w = Self.width
        for s in 0..<sums.reached.count {
            if sums.values[s * w + iCommon] > 0 { sums.values[s * w + iShare] = 1 / Float(twoHops) }
            sums.values[s * w + iTwoHop] = sums.values[s * w + iCommon] > 0 ? 1 : 0
            sums.values[s * w + iWalkTwo] = log1p(walk * sums.values[s * w + iRA])
            sums.values[s * w + iWalkThree] = log1p(walk * sums.values[s * w + iThree])
        }
        (graphRows, graphSlots) = sums.inRowOrder()
        graphValues = sums.values
        let partners = g.neighbours[q]
        partnerLogPopulation = partners.isEmpty ? 0 : partners.reduce(0) { $0 + context.logPopulation[Int($1)] } / Float(partners.count)
        partnerLogDistance = partners.isEmpty ? 0 : partners.reduce(0) { $0 + context.logDistance(q, Int($1)) } / Float(partners.count)
        regionRow = context.regionPairs[context.region[q]] ?? [:]
    }

    /// The graph terms of one query as they are summed: each candidate's slot in `values`, by row. A struct
    /// with a flat array rather than a closure over local arrays or a dictionary: one fill of 4 bytes a place,
    /// then an add a term without a hash, a retain or a uniqueness check.
    struct GraphSums {
        let query: Int32
        let width = QueryTerms.width
        /// By row: the slot in `values` (-1: none yet; -2: not wanted).
        var slot: [Int32]
        /// The wanted rows, ascending and distinct (nil: every row is wanted).
        let targets: [Int32]?
        /// The rows reached, in the order met, and their `width` values each.
        var reached: [Int32] = []
        var values: [Float] = []
        /// The rows reached, as a bitset.
        var marks: [UInt64]

        init(query: Int32, places: Int, only: [Int32]?) {
            self.query = query
            marks = [UInt64](repeating: 0, count: (places + 63) / 64)
            slot = [Int32](repeating: only == nil ? -1 : -2, count: places)
            targets = only.map { Array(Set($0)).sorted() }
            for c in targets ?? [] where c >= 0 && Int(c) < places { slot[Int(c)] = -1 }
        }

        @inline(__always)
        mutating func add(_ c: Int32, _ term: Int, _ v: Float) {
            guard c != query else { return }
            var s = Int(slot[Int(c)])
            if s < 0 {
                guard s == -1 else { return }
                s = reached.count
                slot[Int(c)] = Int32(s)
                reached.append(c)
                marks[Int(c) / 64] |= 1 << UInt64(Int(c) % 64)
                values.append(contentsOf: repeatElement(0, count: width))
            }
            values[s * width + term] += v
        }

        /// The rows reached, ascending, with their slots: the wanted rows are already sorted; otherwise
        /// read from the marks, a word of 64 rows at a time, cheaper than sorting the thousands a
        /// partnered place reaches or a pass over every row.
        func inRowOrder() -> (rows: [Int32], slots: [Int32]) {
            var rows: [Int32] = []
            rows.reserveCapacity(reached.count)
            if let targets {
                for c in targets where c >= 0 && Int(c) < slot.count && slot[Int(c)] >= 0 { rows.append(c) }
            } else {
                for (w, word) in marks.enumerated() {
                    var bits = word
                    while bits != 0 {
                        rows.append(Int32(w * 64 + bits.trailingZeroBitCount))
                        bits &= bits - 1
                    }
                }
            }
            return (rows, rows.map { slot[Int($0)] })
        }
    }

    /// The weighted sum of the graph terms of each candidate in `graphRows` (`weights` in slot order).
    func graphSums(_ weights: [Float]) -> [Float] {
        graphRows.indices.map { i in
            var s: Float = 0
            let base = Int(graphSlots[i]) * Self.width
            for k in 0..<Self.width { s += weights[k] * graphValues[base + k] }
            return s
        }
    }

    /// Where candidate `c`'s graph values start in `graphValues`, or nil when no graph term reaches it.
    func graphBase(_ c: Int) -> Int? {
        sortedPosition(of: Int32(truncatingIfNeeded: c), in: graphRows).map { Int(graphSlots[$0]) * Self.width }
    }

    /// Where each term's value comes from, in `ModelTerm.allCases` order.
    enum Source { case dense(group: Int), candidate, graph(slot: Int), pair(ModelTerm) }
    static let sources: [Source] = ModelTerm.allCases.map { t in
        switch t.kind {
        case .dense: return .dense(group: FeatureGroup.allCases.firstIndex { $0 == t.group } ?? 0)
        case .candidate: return .candidate
        case .graph: return .graph(slot: slot[t] ?? 0)
        case .pair: return .pair(t)
        }
    }

    /// Every term's value for candidate row `c`, in `ModelTerm.allCases` order: `value(_:_:)` for each,
    /// without a lookup per term. `similarities` are the pair's `FeatureExtractor.similarityValues`.
    func row(_ c: Int, similarities: [Double]) -> [Double] {
        let base = graphBase(c)
        return Self.sources.enumerated().map { k, source in
            switch source {
            case .dense(let g): return similarities[g]
            case .candidate: return Double(context.candidateColumns[k][c])
            case .graph(let i): return base.map { Double(graphValues[$0 + i]) } ?? 0
            case .pair(let t): return Double(value(t, c))
            }
        }
    }

    /// The value of term `t` for candidate row `c`: every term's reference computation, in `Double` where the
    /// content groups are concerned (the ranking's fast path must agree with it; tests check that it does).
    public func value(_ t: ModelTerm, _ c: Int) -> Float {
        let ctx = context, q = query
        let cq = ctx.country[q], cc = ctx.country[c]
        func dense(_ g: FeatureGroup) -> Float {
            Float(ctx.corpus.extractor.similarities(ctx.corpus.stored.row(q), ctx.corpus.stored.row(c))[g] ?? 0)
        }
        func graph() -> Float {
            guard let base = graphBase(c), let i = Self.slot[t] else { return 0 }
            return graphValues[base + i]
        }
        switch t {
        case .size: return dense(.size)
        case .geography: return dense(.geography)
        case .themes: return dense(.themes)
        case .complementarity: return dense(.complementarity)
        case .languages: return dense(.languages)
        case .networks: return dense(.networks)
        case .country: return ctx.corpus.pairGroups.countrySimilarity(q, c)
        case .migration: return ctx.corpus.pairGroups.migrationSimilarity(q, c)
        case .partnerCount, .hasPartners, .logPartners, .logPopulation, .logPopulationSquared, .countryPlaces, .renown, .twinningRate:
            return ctx.candidateValue(t, c)
        case .near300: return Float(exp(-ctx.distanceKm(q, c) / 300))
        case .near1000: return Float(exp(-ctx.distanceKm(q, c) / 1000))
        case .near3000: return Float(exp(-ctx.distanceKm(q, c) / 3000))
        case .sizeProduct: return ctx.logPopulation[q] * ctx.logPopulation[c]
        case .partnerSize: return partnerLogPopulation * ctx.logPopulation[c]
        case .logDistance: return ctx.logDistance(q, c)
        case .logDistanceSquared: return ctx.logDistance(q, c) * ctx.logDistance(q, c)
        case .partnerDistance: return partnerLogDistance * ctx.logDistance(q, c)
        case .hubProduct: return ctx.logDegree[q] * ctx.logDegree[c]
        case .renownProduct: return ctx.renown[q] * ctx.renown[c]
        case .countryAffinity:
            guard cq >= 0, cc >= 0 else { return 0 }
            return ctx.countryAffinity[Int(cq) * ctx.countryCount + Int(cc)]
        case .sharedLanguage:
            guard cq >= 0, cc >= 0 else { return 0 }
            return ctx.sharedLanguage[Int(cq) * ctx.countryCount + Int(cc)]
        case .regionAffinity: return regionRow[ctx.region[c]] ?? 0
        case .regionToCountry:
            guard cc >= 0 else { return 0 }
            return ctx.regionToCountry[Int(ctx.region[q]) * ctx.countryCount + Int(cc)]
        case .countryToRegion:
            guard cq >= 0 else { return 0 }
            return ctx.countryToRegion[Int(cq) * ctx.regionCount + Int(ctx.region[c])]
        case .commonPartners, .resourceAllocation, .threeHop, .twinnedNearby, .twinnedInArea, .nearPartners, .neighboursTwinned,
             .sameName, .namesakeCrowd, .twoHop, .twoHopShare, .logWalkTwo, .logWalkThree:
            return graph()
        }
    }
}

/// The position of `value` in `sorted[range]` (ascending), by binary search, or nil when it is not there.
@inline(__always)
func sortedPosition(of value: Int32, in sorted: [Int32], range: Range<Int>? = nil) -> Int? {
    let range = range ?? sorted.indices
    var lo = range.lowerBound, hi = range.upperBound
    while lo < hi {
        let mid = (lo + hi) / 2
        if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo < range.upperBound && sorted[lo] == value ? lo : nil
}
