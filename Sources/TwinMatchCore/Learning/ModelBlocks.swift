import Foundation

/// The candidates in blocks for single-query searches (`ExactSearch.topK(query:…)`), with what bounds a
/// learned model's terms over each block: its countries and regions, the ranges of population, renown
/// and partners, the cap around its places on the sphere, its best candidate terms per tier and its
/// strongest migration link from each country.
///
/// Places are grouped so that a block's vectors are alike: those with themes or network memberships
/// apart from those without (most places), then by country, by size (a quarter of a decade), and by
/// position (a Z-order of 0.5° cells); a block holds at most `capacity` places.
public final class ModelBlocks: Sendable {
    public static let capacity = 128

    public let blocks: CandidateBlocks
    /// The distinct countries (-1 for none) and regions of the places of block `b`:
    /// `countries[countryStart[b]..<countryStart[b + 1]]`, and so for regions.
    let countries: [Int32], countryStart: [Int], regions: [Int32], regionStart: [Int]
    let logPopulation: [ClosedRange<Float>], renown: [ClosedRange<Float>], logDegree: [ClosedRange<Float>]
    /// Per block, the unit vector of its centre and the largest angle (radians) from it to a place.
    let centre: [(Double, Double, Double)], radius: [Double]
    /// Per tier and block, the largest candidate term (`ModelRanker.bias`).
    let bias: [[Float]]
    /// Per block and origin country, the largest migration link (`PairGroups.link`), `blocks × countries`.
    let link: [Float]
    /// What the terms read of each place, in block order (`blocks.rows`): a block's scan reads one
    /// stretch of memory instead of a line of each per-place array at scattered rows.
    let places: [Place]
    /// Per tier, the candidate terms (`ModelRanker.bias`) in block order.
    let placeBias: [[Float]]

    /// One place's inputs to the pair terms, as `TermContext` and `PairGroups` hold them.
    struct Place {
        let unit: (Double, Double, Double)
        let logPopulation: Float, renown: Float, logDegree: Float
        let country: Int32, region: Int32
        /// Its migration links, `PairGroups.linkStart[row]..<linkStart[row + 1]`.
        let linkStart: Int32, linkEnd: Int32
    }

    init(context: TermContext, bias tierBias: [[Float]]) {
        let corpus = context.corpus, stored = corpus.stored, n = context.profiles.count
        let ranges = corpus.schema.ranges
        let sparseColumns = [FeatureGroup.themes, .complementarity, .networks].compactMap { ranges[$0] }
        let keys: [(content: Bool, country: Int32, size: Int, cell: UInt64)] = parallelMap(n) { r in
            let x = stored.row(r)
            let content = sparseColumns.contains { $0.contains { x[$0] != 0 } }
            let lat = context.latitudes[r], lon = context.longitudes[r]
            let cell = Self.zOrder(UInt32(max(0, min(359, (lat + 90) * 2))), UInt32(max(0, min(719, (lon + 180) * 2))))
            return (content, context.country[r], Int((context.logPopulation[r] * 4).rounded(.down)), cell)
        }
        let order = (0..<n).sorted { a, b in
            let x = keys[a], y = keys[b]
            if x.content != y.content { return !x.content }
            if x.country != y.country { return x.country < y.country }
            if x.size != y.size { return x.size < y.size }
            return x.cell != y.cell ? x.cell < y.cell : a < b
        }
        var starts = [0]
        for (i, r) in order.enumerated().dropFirst() {
            let p = keys[order[i - 1]], q = keys[r]
            if p.content != q.content || p.country != q.country || p.size != q.size || i - starts[starts.count - 1] >= Self.capacity {
                starts.append(i)
            }
        }
        if n > 0 { starts.append(n) }
        let rows = order.map(Int32.init)
        blocks = CandidateBlocks(candidates: stored, order: rows, starts: starts)

        let count = blocks.count, nC = context.countryCount
        let members = (0..<count).map { rows[starts[$0]..<starts[$0 + 1]] }
        func range(_ values: [Float], _ b: Int) -> ClosedRange<Float> {
            let v = members[b].map { values[Int($0)] }
            return (v.min() ?? 0)...(v.max() ?? 0)
        }
        func flat(_ lists: [[Int32]]) -> ([Int32], [Int]) { (lists.flatMap { $0 }, lists.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }) }
        (countries, countryStart) = flat(members.map { Array(Set($0.map { context.country[Int($0)] })).sorted() })
        (regions, regionStart) = flat(members.map { Array(Set($0.map { context.region[Int($0)] })).sorted() })
        logPopulation = (0..<count).map { range(context.logPopulation, $0) }
        renown = (0..<count).map { range(context.renown, $0) }
        logDegree = (0..<count).map { range(context.logDegree, $0) }
        let caps: [((Double, Double, Double), Double)] = members.map { m in
            let u = context.unit
            var x = 0.0, y = 0.0, z = 0.0
            for r in m { x += u[3 * Int(r)]; y += u[3 * Int(r) + 1]; z += u[3 * Int(r) + 2] }
            let norm = (x * x + y * y + z * z).squareRoot()
            // Places around the whole sphere: a cap of every direction.
            guard norm > 1e-9 else { return ((1, 0, 0), .pi) }
            let c = (x / norm, y / norm, z / norm)
            var angle = 0.0
            for r in m {
                let i = 3 * Int(r)
                let dot: Double = c.0 * u[i] + c.1 * u[i + 1] + c.2 * u[i + 2]
                angle = max(angle, acos(min(1, max(-1, dot))))
            }
            return (c, angle)
        }
        centre = caps.map(\.0)
        radius = caps.map(\.1)
        bias = tierBias.map { b in members.map { m in m.map { b[Int($0)] }.max() ?? -.infinity } }
        let groups = corpus.pairGroups
        link = members.flatMap { m -> [Float] in
            var best = [Float](repeating: 0, count: nC)
            for r in m {
                for l in groups.links(of: Int(r)) where Int(l.country) < nC { best[Int(l.country)] = max(best[Int(l.country)], l.weight) }
            }
            return best
        }
        places = rows.map { r in
            let r = Int(r)
            return Place(unit: context.unit(r), logPopulation: context.logPopulation[r], renown: context.renown[r],
                         logDegree: context.logDegree[r], country: context.country[r], region: context.region[r],
                         linkStart: groups.linkStart[r], linkEnd: groups.linkStart[r + 1])
        }
        placeBias = tierBias.map { b in rows.map { b[Int($0)] } }
    }

    /// Interleaves the bits of `a` and `b`: nearby cells get nearby keys.
    static func zOrder(_ a: UInt32, _ b: UInt32) -> UInt64 {
        var key: UInt64 = 0
        for bit in 0..<16 {
            key |= UInt64((a >> UInt32(bit)) & 1) << UInt64(2 * bit) | UInt64((b >> UInt32(bit)) & 1) << UInt64(2 * bit + 1)
        }
        return key
    }

    /// The range of great-circle distances (km) from the unit vector `u` to a cap (its centre's unit vector
    /// and its angle in radians).
    @inline(__always)
    static func distanceRange(from u: (Double, Double, Double), centre c: (Double, Double, Double), radius: Double) -> ClosedRange<Double> {
        let angle = acos(min(1, max(-1, c.0 * u.0 + c.1 * u.1 + c.2 * u.2)))
        let slack = 1e-6
        return earthRadiusKm * max(0, angle - radius - slack)...earthRadiusKm * min(.pi, angle + radius + slack)
    }
}

extension ModelRanker.Extras: BlockPairTerms {
    /// Upper bounds of the terms but the distance terms (`cheap`) over the places of each block of
    /// `range`: each term at its best over what the block holds (its countries and regions, the ends of its
    /// ranges), with what every block reads looked up once. The graph terms are left out: they are each
    /// always-scored candidate's excess over its block's bound.
    func cheapBounds(query i: Int, blocks range: Range<Int>) -> [Float] {
        guard let blocks else { return range.map { _ in bound(query: i) - restBound(query: i) } }
        let ctx = context, q = rows[i], nC = ctx.countryCount, nR = ctx.regionCount
        let countries = blocks.countries, countryStart = blocks.countryStart, regions = blocks.regions, regionStart = blocks.regionStart
        let link = blocks.link, logPopulation = blocks.logPopulation, renown = blocks.renown, logDegree = blocks.logDegree
        let countryRow = countryRow, regionRow = regionRow
        let cq = ctx.country[q], hub = hubProduct * ctx.logDegree[q]
        let size = sizeSlope[i], fame = renownWeight[i], inbound = inbound
        return range.map { b in
            var sum: Float = 0, magnitude: Float = 0
            func add(_ v: Float) { sum += v; magnitude += abs(v) }
            var country = -Float.infinity
            for cc in countries[countryStart[b]..<countryStart[b + 1]] {
                country = max(country, cc >= 0 ? countryRow[i * nC + Int(cc)] : 0)
            }
            add(country)
            var region = -Float.infinity
            for r in regions[regionStart[b]..<regionStart[b + 1]] { region = max(region, regionRow[i * nR + Int(r)]) }
            add(region)
            if cq >= 0 && Int(cq) < nC { add(max(0, inbound * link[b * nC + Int(cq)])) }
            func best(_ w: Float, _ range: ClosedRange<Float>) -> Float { max(w * range.lowerBound, w * range.upperBound) }
            add(best(size, logPopulation[b]))
            add(best(fame, renown[b]))
            add(best(hub, logDegree[b]))
            return sum + magnitude * 1e-5 + 1e-5
        }
    }

    /// An upper bound of the distance terms (`rest`) over the places of block `b`, from its nearest and
    /// farthest place.
    func restBound(query i: Int, block b: Int) -> Float {
        guard let blocks else { return restBound(query: i) }
        let a = distanceSlope[i], c = distanceCurve
        var rest: Float = 0, magnitude: Float = 0
        func add(_ v: Float) { rest += v; magnitude += abs(v) }
        let km = ModelBlocks.distanceRange(from: context.unit(rows[i]), centre: blocks.centre[b], radius: blocks.radius[b])
        let near = Float(km.lowerBound), far = Float(km.upperBound)
        func kernel(_ w: Float, _ scale: Float) -> Float { w > 0 ? w * exp(-near / scale) : w * exp(-far / scale) }
        if near300 != 0 { add(kernel(near300, 300)) }
        if near1000 != 0 { add(kernel(near1000, 1000)) }
        if near3000 != 0 { add(kernel(near3000, 3000)) }
        if a != 0 || c != 0 {
            let lo = log1p(near / 100), hi = log1p(far / 100)
            var curve = max((a + c * lo) * lo, (a + c * hi) * hi)
            if c < 0 {
                let vertex = -a / (2 * c)
                if vertex > lo && vertex < hi { curve = max(curve, (a + c * vertex) * vertex) }
            }
            add(curve)
        }
        return rest + magnitude * 1e-5 + 1e-5
    }

    /// `terms(query:candidate:…)` of the place at `position` of the blocks' order, read from `places`.
    @inline(__always)
    func terms(query i: Int, position p: Int, candidate c: Int, score s: Float, bound: Float, restBound: Float, threshold: Float) -> Float? {
        guard let blocks else { return terms(query: i, candidate: c, score: s, bound: bound, restBound: restBound, threshold: threshold) }
        if s + bound < threshold { return nil }
        let place = blocks.places[p]
        if s + self.bound(query: i, country: place.country, region: place.region) < threshold { return nil }
        let groups = context.corpus.pairGroups
        let first = cheap(query: i, country: place.country, region: place.region, logPopulation: place.logPopulation, renown: place.renown,
                          logDegree: place.logDegree, link: { groups.link(links: Int(place.linkStart)..<Int(place.linkEnd), country: place.country, to: $0) },
                          graph: 0)
        if s + first + restBound < threshold { return nil }
        return first + rest(query: i, km: Float(TermContext.distanceKm(context.unit(rows[i]), place.unit)))
    }

    /// The candidates always scored (`mustScore`), in row order, with what their terms may exceed their
    /// block's bound by: with blocks, those of the graph terms, by their graph terms; without, any.
    func mustScoreCandidates(query i: Int) -> [(row: Int, excess: Float)] {
        if blocks != nil {
            return (graphStart[i]..<graphStart[i + 1]).map { p in (Int(graphRows[p]), graphScores[p]) }
        }
        var out: [(row: Int, excess: Float)] = []
        for w in 0..<words {
            var bits = sparse[i * words + w]
            while bits != 0 {
                out.append((w * 64 + bits.trailingZeroBitCount, .infinity))
                bits &= bits - 1
            }
        }
        return out
    }
}
