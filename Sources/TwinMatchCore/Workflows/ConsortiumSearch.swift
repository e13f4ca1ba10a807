import Foundation

/// The rules a consortium's group (the lead and its members) must meet.
public struct ConsortiumRules: Sendable, Equatable {
    /// How many members besides the lead.
    public var size: Int
    /// At least this many distinct countries among the lead and the members (1: no rule).
    public var minCountries: Int
    /// At most this many cities of one country among the lead and the members.
    public var maxPerCountry: Int
    /// At least one small, one medium and one large city among the lead and the members (`SizeBand`).
    public var mixedSizes: Bool

    public init(size: Int, minCountries: Int = 1, maxPerCountry: Int? = nil, mixedSizes: Bool = false) {
        self.size = size
        self.minCountries = minCountries
        self.maxPerCountry = maxPerCountry ?? Self.defaultMaxPerCountry(size: size)
        self.mixedSizes = mixedSizes
    }

    /// ceil(size / 2): no country holds more than half the members' number of places in the group.
    public static func defaultMaxPerCountry(size: Int) -> Int { (size + 1) / 2 }
}

/// The choice of a consortium among a pool of candidates whose fits are known: `size` members that
/// maximise
///
///     Σ_m lead(m) + μ · Σ_m mean_{o ≠ m} fit(m, o)  =  Σ_m lead(m) + μ · size · (mean pairwise fit)
///
/// where `lead(m)` is how well the lead rates member m and `fit(m, o)` how well the pair rates each other
/// (symmetric), under the rules (countries, a cap per country, mixed sizes, all counting the lead). The
/// search reads them as given; `Ranker.consortium` gives both as percentiles within the pool (0–100). Each member's share of the
/// objective is its score for the lead plus μ × its mean fit with the other members, so μ = 1 weighs a
/// member's fit with the rest as much as its fit with the lead.
///
/// The search is a beam search: members are added one at a time; every state of the beam is extended by
/// every pool member the rules still allow, and the `width` best distinct sets (by their objective so
/// far, ties by their pool positions) are kept. A set is extended only while the rules can still be met
/// with the places left (`canStillMeet`); if no full set survives, the search is repeated once with a beam
/// 8 times wider (`maxWidth`). A beam wide enough to keep every partial set (C(P, k) at step k) is an
/// exhaustive search and returns the best admissible set exactly; the default width is not, and its
/// result is compared with the exact best on small pools in the tests.
///
/// - Complexity: O(size · width · P · size) for a pool of P, after the fits.
public struct ConsortiumSearch: Sendable {
    public let rules: ConsortiumRules
    /// How well the lead rates each pool member, pool order.
    public let leadFit: [Double]
    /// How well each pair of pool members rate each other, symmetric, row-major P × P (the diagonal is not read).
    public let pairFit: [Double]
    /// Each member's country, as a small index; `leadCountry` the lead's.
    public let countries: [Int]
    public let leadCountry: Int
    public let bands: [SizeBand]
    public let leadBand: SizeBand
    /// μ: how much a member's mean fit with the others counts against its score for the lead.
    public let cohesion: Double

    /// 32: on seeded pools of 18 to 22 it found the exact best in 60 cases of 60, width 16 in 59, a greedy
    /// search (width 1) in 32; its cost is a few milliseconds against the pair scores' hundreds.
    public static let defaultWidth = 32
    public static let maxWidth = 32 * 8

    public var poolCount: Int { leadFit.count }

    public init(rules: ConsortiumRules, leadFit: [Double], pairFit: [Double], countries: [Int], leadCountry: Int,
                bands: [SizeBand], leadBand: SizeBand, cohesion: Double = 1) {
        precondition(pairFit.count == leadFit.count * leadFit.count && countries.count == leadFit.count && bands.count == leadFit.count,
                     "one fit, country and band per pool member")
        self.rules = rules
        self.leadFit = leadFit
        self.pairFit = pairFit
        self.countries = countries
        self.leadCountry = leadCountry
        self.bands = bands
        self.leadBand = leadBand
        self.cohesion = cohesion
    }

    /// What a pair of members adds to the objective: each one's mean over its size − 1 others.
    var pairWeight: Double { rules.size > 1 ? 2 * cohesion / Double(rules.size - 1) : 0 }

    func fit(_ a: Int, _ b: Int) -> Double { pairFit[a * poolCount + b] }

    /// The objective of a set of pool members (see the type's description).
    public func objective(_ members: [Int]) -> Double {
        var value = members.reduce(0) { $0 + leadFit[$1] }
        for (i, a) in members.enumerated() { for b in members[(i + 1)...] { value += pairWeight * fit(a, b) } }
        return value
    }

    /// A member's mean fit with the other members of `members`.
    public func meanFit(_ m: Int, with members: [Int]) -> Double {
        let others = members.filter { $0 != m }
        return others.isEmpty ? 0 : others.reduce(0) { $0 + fit(m, $1) } / Double(others.count)
    }

    /// Whether a full set of distinct pool members meets every rule.
    public func admits(_ members: [Int]) -> Bool {
        guard members.count == rules.size, Set(members).count == members.count else { return false }
        let group = members.map { countries[$0] } + [leadCountry]
        let perCountry = Dictionary(group.map { ($0, 1) }, uniquingKeysWith: +)
        if perCountry.count < rules.minCountries || perCountry.values.contains(where: { $0 > rules.maxPerCountry }) { return false }
        return !rules.mixedSizes || Set(members.map { bands[$0] } + [leadBand]).count == SizeBand.allCases.count
    }

    /// One partial set: its members (sorted pool positions), objective so far, and the counts the rules read.
    struct State {
        var members: [Int]
        var value: Double
        var perCountry: [Int: Int]
        var bands: Set<SizeBand>
    }

    /// The best set the beam finds (pool positions, sorted), or nil when no set meets the rules.
    public func best(width: Int = ConsortiumSearch.defaultWidth) -> [Int]? {
        var w = max(1, width)
        while true {
            if let found = beam(width: w) { return found }
            if w >= Self.maxWidth { return nil }
            w = min(Self.maxWidth, w * 8)
        }
    }

    /// The lead and the pool, counted: how many members of each country the pool holds.
    var poolPerCountry: [Int: Int] { Dictionary(countries.map { ($0, 1) }, uniquingKeysWith: +) }

    /// One beam search of `width`: the best full set it keeps, or nil when every state died out.
    public func beam(width: Int) -> [Int]? {
        let pool = poolPerCountry
        var states = [State(members: [], value: 0, perCountry: [leadCountry: 1], bands: [leadBand])]
        for _ in 0..<rules.size {
            var next: [State] = []
            var seen = Set<[Int]>()
            for s in states {
                for c in 0..<poolCount where !s.members.contains(c) {
                    var t = s
                    t.members.append(c)
                    t.members.sort()
                    guard !seen.contains(t.members) else { continue }
                    t.perCountry[countries[c], default: 0] += 1
                    t.bands.insert(bands[c])
                    guard canStillMeet(t, pool: pool) else { continue }
                    seen.insert(t.members)
                    t.value += leadFit[c] + pairWeight * s.members.reduce(0) { $0 + fit(c, $1) }
                    next.append(t)
                }
            }
            next.sort { a, b in a.value != b.value ? a.value > b.value : a.members.lexicographicallyPrecedes(b.members) }
            states = Array(next.prefix(width))
            if states.isEmpty { return nil }
        }
        return states.first?.members
    }

    /// Whether a partial set can still grow into one that meets the rules: no country over its cap; enough
    /// places left for the missing countries and sizes, with enough cities of new countries and, for
    /// each missing size, a city of it whose country has room; enough room under the caps for the places
    /// left. These are necessary conditions; with two places or fewer left the check is exact (every
    /// completion is tried), so a state the beam keeps never dies out for want of a city that fits.
    func canStillMeet(_ s: State, pool: [Int: Int]) -> Bool {
        if s.perCountry.values.contains(where: { $0 > rules.maxPerCountry }) { return false }
        let left = rules.size - s.members.count
        let missingCountries = max(0, rules.minCountries - s.perCountry.count)
        let missingBands = rules.mixedSizes ? SizeBand.allCases.filter { !s.bands.contains($0) } : []
        if max(missingCountries, missingBands.count) > left { return false }
        if missingCountries > pool.keys.filter({ s.perCountry[$0] == nil }).count { return false }
        func hasRoom(_ c: Int) -> Bool { (s.perCountry[countries[c]] ?? 0) < rules.maxPerCountry }
        for band in missingBands where !(0..<poolCount).contains(where: { bands[$0] == band && hasRoom($0) && !s.members.contains($0) }) {
            return false
        }
        // Room under the caps for the places left.
        var room = 0
        for (country, inPool) in pool {
            let used = s.perCountry[country] ?? 0
            let mine = used - (country == leadCountry ? 1 : 0)
            room += max(0, min(rules.maxPerCountry - used, inPool - mine))
        }
        if room < left { return false }
        guard left <= 2, missingCountries > 0 || !missingBands.isEmpty else { return true }
        return completes(s, left: left)
    }

    /// Whether adding `left` (at most 2) more pool members to `s` can meet every rule: each is tried,
    /// up to two of each country and size (the rules cannot tell more apart).
    func completes(_ s: State, left: Int) -> Bool {
        var seen: [Int: Int] = [:]
        let free = (0..<poolCount).filter { c in
            guard !s.members.contains(c), (s.perCountry[countries[c]] ?? 0) < rules.maxPerCountry else { return false }
            let kind = countries[c] * 3 + bands[c].order
            seen[kind, default: 0] += 1
            return seen[kind, default: 0] <= 2
        }
        func meets(_ added: [Int]) -> Bool {
            var perCountry = s.perCountry
            for c in added { perCountry[countries[c], default: 0] += 1 }
            if perCountry.count < rules.minCountries || perCountry.values.contains(where: { $0 > rules.maxPerCountry }) { return false }
            return !rules.mixedSizes || s.bands.union(added.map { bands[$0] }).count == SizeBand.allCases.count
        }
        if left == 0 { return meets([]) }
        if left == 1 { return free.contains { meets([$0]) } }
        for (i, a) in free.enumerated() { for b in free[(i + 1)...] where meets([a, b]) { return true } }
        return false
    }
}
