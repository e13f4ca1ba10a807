import Foundation

/// What a consortium is asked for: its size and rules, the candidates' filter, and how the search weighs
/// the members' fit with each other.
public struct ConsortiumRequest: Sendable {
    public var rules: ConsortiumRules
    public var filter: CandidateFilter
    /// μ of `ConsortiumSearch`: a member's mean fit with the others against its score for the lead.
    public var cohesion: Double
    /// How many of the lead's best candidates form the pool the members are chosen from.
    public var poolSize: Int
    public var width = ConsortiumSearch.defaultWidth
    /// Candidates from every continent; by default only the lead's (co-operation programmes such as the
    /// EU's fund partners of one continent), unless the filter names countries.
    public var worldwide = false

    public static let sizes = 2...20

    /// The pool by default: max(60, 8 × size), enough candidates that the rules (countries, sizes, the
    /// cap per country) can be met several ways, few enough that the P² pair scores stay well under a second.
    public static func defaultPool(size: Int) -> Int { max(60, 8 * size) }

    /// A request from what a person asks for, checked; an `OptionError` names the option otherwise.
    public init(size: Int, minCountries: Int? = nil, maxPerCountry: Int? = nil, mixedSizes: Bool = false, cohesion: Double = 0.5,
                poolSize: Int? = nil, worldwide: Bool = false, filter: CandidateFilter) throws {
        guard Self.sizes.contains(size) else {
            throw OptionError("--size", "--size must be between \(Self.sizes.lowerBound) and \(Self.sizes.upperBound) members (EU partner searches seek 5–10); got \(size)")
        }
        if let minCountries, !(1...(size + 1)).contains(minCountries) {
            throw OptionError("--min-countries", "--min-countries must be between 1 and \(size + 1) (the lead's country and one per member of --size \(size)); got \(minCountries)")
        }
        if let maxPerCountry, !(1...(size + 1)).contains(maxPerCountry) {
            throw OptionError("--max-per-country", "--max-per-country must be between 1 and \(size + 1) (the lead counts); got \(maxPerCountry)")
        }
        guard cohesion.isFinite && cohesion >= 0 else { throw OptionError("--cohesion", "--cohesion must be a non-negative number; got \(cohesion)") }
        if let poolSize, !(size...2_000).contains(poolSize) {
            throw OptionError("--pool", "--pool must be between --size (\(size)) and 2,000; got \(poolSize)")
        }
        rules = ConsortiumRules(size: size, minCountries: minCountries ?? 1, maxPerCountry: maxPerCountry, mixedSizes: mixedSizes)
        self.filter = filter
        self.cohesion = cohesion
        self.poolSize = poolSize ?? Self.defaultPool(size: size)
        self.worldwide = worldwide
    }

    /// The filter the pool is drawn under for a lead in `country`: `filter`, limited to the lead's
    /// continent unless `worldwide` or the filter names countries of its own.
    public func poolFilter(leadCountry country: String) -> CandidateFilter {
        guard !worldwide, filter.countries.isEmpty, let continent = Countries.named(country)?.continent else { return filter }
        var f = filter
        f.countries = Set(Countries.codes.filter { Countries.named($0)?.continent == continent })
        return f
    }
}

/// A lead city's consortium: its members, best for the lead first, each with why it is in, and what the
/// group has in common.
public struct Consortium: Sendable {
    public struct Member: Sendable {
        public let row: Int
        /// The lead's score for it, its reasons by family with their facts (the lead as the query).
        public let reasons: Reasons
        /// Where the lead ranks it in the pool: the share of the other pool candidates the lead scores
        /// lower (0–100, `Consortium.percentiles`).
        public let standing: Double
        /// Its mean fit with the other members, 0–100: a pair's fit is the mean of where each ranks the other
        /// in the pool.
        public let cohesion: Double
        public let distanceKm: Double
        public let band: SizeBand
        /// What it brings the group: a country or a size no one else has, a required theme with its
        /// evidence, partnerships with other members, its closest fit among them.
        public let adds: [String]
    }

    public let lead: Int
    public let request: ConsortiumRequest
    /// How many candidates passed the filters into the pool (at most `request.poolSize`).
    public let poolCount: Int
    public let members: [Member]
    /// The search's objective: Σ score for the lead + μ × Σ mean fit with the rest.
    public let objective: Double
    public let scale: ScoreScale
    public let summary: ConsortiumSummary

    /// The lead and the members, lead first.
    public var group: [Int] { [lead] + members.map(\.row) }
}

/// What the group (the lead and its members) has in common.
public struct ConsortiumSummary: Sendable {
    public struct Count: Sendable, Equatable {
        public let key: String
        /// The group's rows with it, lead first, then in member order.
        public let rows: [Int]
    }
    public struct Complement: Sendable, Equatable {
        public let theme: String
        public let offeredBy: [Int]
        public let soughtBy: [Int]
    }
    /// Countries (ISO2) with their cities, most first (ties by code).
    public let countries: [Count]
    /// Size bands, small to large, with their cities (bands no city has are left out).
    public let bands: [Count]
    /// Themes (in themes, offers or seeks) at least half the group holds, most held first.
    public let sharedThemes: [Count]
    /// Themes one city of the group offers and another seeks.
    public let complementary: [Complement]
    /// Networks at least two cities of the group belong to (slugs), most members first.
    public let networks: [Count]
    /// Partnerships already known within the group.
    public let partnerships: [(Int, Int)]
}

extension Ranker {
    /// The consortium of `request.rules.size` members for `lead`: the pool is its best `poolSize`
    /// candidates under `request.poolFilter` (`recommend`, so its partners are never in it), and
    /// `ConsortiumSearch` chooses the members with
    ///
    /// - `lead(m)`: where the lead's score puts m among the pool, a percentile (0–100);
    /// - `fit(a, b)`: the mean of where a puts b and b puts a among the pool (`pairRanking`: each
    ///   member's raw scores of the others, built once per member with `rawScores`, less what the whole
    ///   pool thinks of each, as percentiles). The learned model is not symmetric; the mean, unlike the
    ///   minimum, does not let one side whose own data is thin veto a pair the other side rates well.
    ///
    /// Percentiles put the two terms on one footing whatever the cities' sizes: a town's scores run low
    /// and a capital's high (the learned model's logistic scale saturates at 100 between well-twinned
    /// cities), so scores themselves would let large cities' mutual scores swamp the lead's choice.
    ///
    /// Throws an `OptionError` naming the option when the pool is smaller than the size (`--size`), holds
    /// fewer countries than asked (`--min-countries`), lacks a size (`--mixed-sizes`), leaves too little
    /// room under the cap per country (`--max-per-country`), or no set of the pool meets the rules together.
    public func consortium(lead: Int, _ request: ConsortiumRequest) throws -> Consortium {
        let list = corpus.profiles.profiles, rules = request.rules, name = list.name(lead)
        let filter = request.poolFilter(leadCountry: list.country(lead))
        let pool = recommend(queries: [lead], limit: request.poolSize, filter: filter).first?.results ?? []
        guard pool.count >= rules.size else {
            let scope = filter == request.filter ? "" : " in \(continentName(Countries.named(list.country(lead))?.continent ?? "")) (--worldwide lifts this)"
            let asked = "--size \(rules.size) asks for \(rules.size) members, but "
            guard !pool.isEmpty else {
                throw OptionError("--size", asked + "no candidate passes the filters\(scope); " + request.filter.emptyNotice(query: lead, corpus: corpus, graph: graph))
            }
            throw OptionError("--size", asked + "only \(count(pool.count, "candidate")) for \(name) \(pool.count == 1 ? "passes" : "pass") the filters\(scope); lift a filter to widen the pool")
        }
        let rows = pool.map(\.row)
        let codes = rows.map(list.country), leadCode = list.country(lead)
        let index = Dictionary((codes + [leadCode]).enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        let bands = rows.map { SizeBand(population: list.population($0)) }, leadBand = SizeBand(population: list.population(lead))
        try checkPool(rules, name: name, codes: codes, leadCode: leadCode, bands: bands + [leadBand], poolCount: pool.count)

        let n = rows.count
        let ranking = Consortium.pairRanking(parallelMap(n) { [self] i in rawScores(query: rows[i], candidates: rows) })
        var fit = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where j != i { fit[i * n + j] = (ranking[i][j] + ranking[j][i]) / 2 } }
        let search = ConsortiumSearch(rules: rules, leadFit: Consortium.percentiles(pool.map(\.score), excluding: nil), pairFit: fit,
                                      countries: codes.map { index[$0] ?? 0 }, leadCountry: index[leadCode] ?? 0,
                                      bands: bands, leadBand: leadBand, cohesion: request.cohesion)
        guard let chosen = search.best(width: request.width) else {
            throw OptionError(rules.mixedSizes ? "--mixed-sizes" : "--min-countries",
                              "no \(rules.size) of the \(pool.count) candidates for \(name) meet \(rules.described) together; lower --min-countries, drop --mixed-sizes, raise --max-per-country or widen the filters")
        }
        var facts = PairFacts(corpus: corpus, graph: graph, query: lead)
        if filter.blend.complement > 0 { facts.complement = Complement(corpus, row: lead, stated: filter.interests) }
        let groupRows = [lead] + chosen.map { rows[$0] }
        let members = chosen.map { i -> Consortium.Member in
            let r = pool[i]
            let closest = chosen.filter { $0 != i }.max { (search.fit(i, $0), $1) < (search.fit(i, $1), $0) }
            var adds = groupAdds(r.row, in: groupRows, rules: rules, filter: filter)
            if let c = closest { adds.append("closest fit in the group: \(distinctName(rows[c], among: groupRows, list)) (\(Int(search.fit(i, c).rounded())))") }
            return Consortium.Member(row: r.row, reasons: reasons(r.contributions, candidate: r.row, facts: facts), standing: search.leadFit[i],
                                     cohesion: search.meanFit(i, with: chosen), distanceKm: r.distanceKm, band: bands[i], adds: adds)
        }
        return Consortium(lead: lead, request: request, poolCount: pool.count, members: members, objective: search.objective(chosen),
                          scale: scale, summary: ConsortiumSummary(corpus: corpus, graph: graph, group: groupRows))
    }

    /// The rules the pool cannot meet whatever the search does, as an `OptionError` naming the option.
    func checkPool(_ rules: ConsortiumRules, name: String, codes: [String], leadCode: String, bands: [SizeBand], poolCount: Int) throws {
        let countries = Set(codes + [leadCode])
        if rules.minCountries > countries.count {
            throw OptionError("--min-countries", "--min-countries \(rules.minCountries): \(name) and its \(count(poolCount, "best candidate")) under the filters are in only \(countries.count == 1 ? "1 country" : "\(countries.count) countries") (\(listed(countries.sorted()))); lower --min-countries or widen --candidate-country")
        }
        if rules.mixedSizes {
            let missing = SizeBand.allCases.filter { !bands.contains($0) }
            if !missing.isEmpty {
                throw OptionError("--mixed-sizes", "--mixed-sizes needs a \(listed(missing.map(\.label))) city, and neither \(name) nor its \(count(poolCount, "best candidate")) under the filters is one; lift --min-population/--max-population or widen the filters")
            }
        }
        let perCountry = Dictionary(codes.map { ($0, 1) }, uniquingKeysWith: +)
        let room = perCountry.reduce(0) { $0 + max(0, min(rules.maxPerCountry - ($1.key == leadCode ? 1 : 0), $1.value)) }
        if room < rules.size {
            throw OptionError("--max-per-country", "at most \(rules.maxPerCountry) cities of one country (the lead's counting; by default half the size, rounded up) leave room for only \(room) of the \(rules.size) members among \(name)'s \(count(poolCount, "best candidate")) (\(listed(perCountry.keys.sorted()))); raise --max-per-country or widen --candidate-country")
        }
    }

    /// What member `c` brings the group `group` (lead first) that the rules ask for: a country (with
    /// `minCountries` above 1) or a size band (with `mixedSizes`) no other city of the group has; each
    /// required theme with the evidence for it; partnerships with other members.
    func groupAdds(_ c: Int, in group: [Int], rules: ConsortiumRules, filter: CandidateFilter) -> [String] {
        let list = corpus.profiles.profiles, others = group.filter { $0 != c }
        var out: [String] = []
        if rules.minCountries > 1, !others.contains(where: { list.country($0) == list.country(c) }) {
            out.append("the group's only city in \(countryName(list.country(c)))")
        }
        let band = SizeBand(population: list.population(c))
        if rules.mixedSizes, !others.contains(where: { SizeBand(population: list.population($0)) == band }) {
            out.append("the group's only \(band.rawValue) city")
        }
        if !filter.requiredThemes.isEmpty {
            let p = list[c]
            for t in filter.requiredThemes { out.append(PairFacts.evidence(p, "themes", t).map { "\(t): \($0)" } ?? "works on \(t)") }
        }
        let twinned = others.dropFirst().filter { graph.contains(c, $0) }.map { distinctName($0, among: group, list) }
        if !twinned.isEmpty { out.append("already twinned with " + listed(twinned)) }
        return out
    }
}

extension Consortium {
    /// Each pool member's ranking of the others for the pair itself: row i, column j is where i puts j
    /// (`percentiles`) once what the whole pool thinks of j is taken out of i's raw score for it (the mean
    /// raw score of j over the other members, in log-odds for the learned model). Without that, every
    /// city ranks the same renowned cities first, and the fit with the rest would measure renown.
    /// `raw` is the P × P raw scores, row i the query; the diagonal is not read.
    public static func pairRanking(_ raw: [[Double]]) -> [[Double]] {
        let n = raw.count
        let columnMean = (0..<n).map { j in n > 1 ? (0..<n).filter { $0 != j }.reduce(0) { $0 + raw[$1][j] } / Double(n - 1) : 0 }
        return (0..<n).map { i in percentiles((0..<n).map { raw[i][$0] - columnMean[$0] }, excluding: i) }
    }

    /// Where each score stands among the others (0–100): the share of the other entries (all but the
    /// one `excluding` names) that score lower, ties counting half. One entry alone stands at 50.
    public static func percentiles(_ scores: [Double], excluding skip: Int?) -> [Double] {
        let order = scores.indices.filter { $0 != skip }.sorted { scores[$0] < scores[$1] }
        var out = [Double](repeating: 0, count: scores.count)
        let others = Double(order.count - 1)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            // Entries start...end tie: `start` lie below each, `end - start` tie with it.
            let value = others > 0 ? 100 * (Double(start) + Double(end - start) / 2) / others : 50
            for k in start...end { out[order[k]] = value }
            start = end + 1
        }
        return out
    }
}

extension ConsortiumRules {
    /// "at least 4 countries, at most 3 cities of one country and a small, a medium and a large city".
    public var described: String {
        var parts = [minCountries > 1 ? "at least \(minCountries) countries" : nil, "at most \(maxPerCountry) cities of one country"].compactMap { $0 }
        if mixedSizes { parts.append("a small, a medium and a large city") }
        return listed(parts)
    }
}

extension ConsortiumSummary {
    /// The summary of `group` (the lead first): countries, sizes, themes at least half of it holds,
    /// complementary themes, networks two or more share, known partnerships within it.
    init(corpus: Corpus, graph: PairGraph, group: [Int]) {
        let list = corpus.profiles.profiles, profiles = group.map { list[$0] }
        /// Keys with the rows that have them, most rows first, ties by key (`keep` decides which to list).
        func counted(_ keys: (CityProfile) -> [String], keep: (Int) -> Bool = { _ in true }) -> [Count] {
            var rows: [String: [Int]] = [:]
            for (r, p) in zip(group, profiles) { for k in Set(keys(p)) { rows[k, default: []].append(r) } }
            return rows.filter { keep($0.value.count) }.map { Count(key: $0.key, rows: $0.value) }
                .sorted { ($0.rows.count, $1.key) > ($1.rows.count, $0.key) }
        }
        countries = counted { [$0.country] }
        let bandRows = Dictionary(grouping: group) { SizeBand(population: list.population($0)) }
        bands = SizeBand.allCases.compactMap { b in bandRows[b].map { Count(key: b.rawValue, rows: $0) } }
        sharedThemes = counted({ Array($0.allThemes) }, keep: { 2 * $0 >= group.count })
        var complements: [Complement] = []
        for theme in Set(profiles.flatMap(\.offers)).sorted() {
            let offering = zip(group, profiles).filter { $0.1.offers.contains(theme) }.map(\.0)
            let seeking = zip(group, profiles).filter { $0.1.seeks.contains(theme) && !offering.contains($0.0) }.map(\.0)
            if !seeking.isEmpty { complements.append(Complement(theme: theme, offeredBy: offering, soughtBy: seeking)) }
        }
        complementary = complements
        // An umbrella network and its branch can carry one name for the same cities: listed once.
        var named = Set<[String]>()
        networks = counted({ $0.networks }, keep: { $0 >= 2 }).filter { n in
            named.insert([PairFacts.network(n.key, of: n.rows.map { list[$0] })] + n.rows.map(String.init)).inserted
        }
        var within: [(Int, Int)] = []
        for (i, a) in group.enumerated() { for b in group[(i + 1)...] where graph.contains(a, b) { within.append((a, b)) } }
        partnerships = within
    }
}

/// A city's name, with its population when another city of `group` has the same name ("Lagoa (14,442)").
func distinctName(_ row: Int, among group: [Int], _ list: ProfileList) -> String {
    group.contains { $0 != row && list.name($0) == list.name(row) } ? "\(list.name(row)) (\(grouped(list.population(row))))" : list.name(row)
}
