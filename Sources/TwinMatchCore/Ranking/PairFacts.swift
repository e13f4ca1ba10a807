import Foundation
import Synchronization

/// The facts behind a pair's reasons, read from the profiles and the partnership graph: the cities both
/// are twinned with, how many known twinnings join their countries and their regions, sizes and distances
/// (also against the query's existing partners), shared themes and networks, migration figures, languages.
/// Built once per query (one pass over the known partnerships); each candidate's facts are then cheap.
public struct PairFacts: Sendable {
    let corpus: Corpus
    let graph: PairGraph
    public let query: Int
    /// The query's profile, decoded once for all of its candidates' facts.
    let queryProfile: CityProfile
    /// Known partnerships between the query's country and each country (schema index; −1: no country).
    let countryPairs: [Int32: Int]
    /// Known partnerships between the query's region and each other region ("ISO2/region").
    let regionPairs: [String: Int]
    /// The query's partners: geometric mean population and mean distance (nil without partners).
    let partnerPopulation: Double?
    let partnerDistanceKm: Double?
    /// What the query seeks and offers (its own and stated), for the `complement` facts.
    public var complement: Complement?
    /// Each candidate's view of the query, for the `mutual` facts.
    public var mutual: [Int: MutualView] = [:]
    /// The scale the mutual facts state the candidate's view on.
    public var scale: ScoreScale?

    public init(corpus: Corpus, graph: PairGraph, query q: Int) {
        self.corpus = corpus
        self.graph = graph
        query = q
        let country = corpus.pairGroups.country, list = corpus.profiles.profiles
        queryProfile = list[q]
        let cq = country[q], region = list.region(q)
        var byCountry: [Int32: Int] = [:], byRegion: [String: Int] = [:]
        // Every partnership with a side x in the query's country, once (from its smaller row when both are).
        func inRegion(_ r: Int) -> Bool { country[r] == cq && list.region(r) == region }
        for r in graph.partnered where country[Int(r)] == cq {
            let x = Int(r), partners = graph.neighbours[x]
            let xInRegion = inRegion(x)
            for b in partners {
                let y = Int(b)
                if country[y] == cq && y < x { continue }
                byCountry[country[y], default: 0] += 1
                if xInRegion { byRegion[Self.regionKey(list, y), default: 0] += 1 } else if inRegion(y) { byRegion[Self.regionKey(list, x), default: 0] += 1 }
            }
        }
        countryPairs = byCountry
        regionPairs = byRegion
        let partners = graph.neighbours[q].map(Int.init)
        if partners.isEmpty {
            partnerPopulation = nil
            partnerDistanceKm = nil
        } else {
            let logs = partners.map { log10(max(1, list.population($0))) }
            partnerPopulation = pow(10, logs.reduce(0, +) / Double(partners.count))
            partnerDistanceKm = partners.reduce(0) { $0 + corpus.distanceKm(q, $1) } / Double(partners.count)
        }
    }

    static func regionKey(_ list: ProfileList, _ row: Int) -> String { list.country(row) + "/" + list.region(row) }

    /// The partners `a` and `c` have in common, the most twinned first (then by id).
    public func commonPartners(_ c: Int) -> [Int] {
        let mine = Set(graph.neighbours[query])
        let idRank = corpus.idRank
        return graph.neighbours[c].filter(mine.contains).map(Int.init)
            .sorted { (graph.degree($0), idRank[$1]) > (graph.degree($1), idRank[$0]) }
    }

    /// Known twinnings between the two cities' countries (within the country when they share it).
    public func countryPairCount(_ c: Int) -> Int { countryPairs[corpus.pairGroups.country[c]] ?? 0 }

    /// Known twinnings between the two cities' regions.
    public func regionPairCount(_ c: Int) -> Int { regionPairs[Self.regionKey(corpus.profiles.profiles, c)] ?? 0 }

    /// The facts of every family for candidate `c`.
    public func facts(_ c: Int) -> [ReasonFamily: [String]] {
        let profile = corpus.profiles.profiles[c]
        return Dictionary(uniqueKeysWithValues: ReasonFamily.allCases.map { ($0, facts($0, c, profile: profile)) })
    }

    /// The facts of one family for candidate `c`, shortest and most telling first.
    public func facts(_ family: ReasonFamily, _ c: Int) -> [String] { facts(family, c, profile: corpus.profiles.profiles[c]) }

    /// `facts(_:_:)` with the candidate's profile `pb` already decoded (one decoding serves all its families).
    func facts(_ family: ReasonFamily, _ c: Int, profile pb: CityProfile) -> [String] {
        let list = corpus.profiles.profiles, q = query
        let qName = list.name(q), cName = list.name(c)
        switch family {
        case .partners: return partnerFacts(c)
        case .size:
            var out = [sizeRatio(list.population(c), list.population(q), cName),
                       "\(grouped(list.population(c))) against \(grouped(list.population(q))) people"]
            if let p = partnerPopulation { out.append("\(qName)'s partners have about \(grouped(roughly(p))) people") }
            return out
        case .distance:
            var out = ["\(grouped(corpus.distanceKm(q, c))) km apart"]
            if let d = partnerDistanceKm { out.append("\(qName)'s partners are \(grouped(d)) km away on average") }
            return out
        case .countries:
            let a = list.country(q), b = list.country(c)
            let n = countryPairCount(c), r = regionPairCount(c)
            var out = [a == b ? "\(count(n, "existing twinning")) within \(countryName(a))"
                              : n == 0 ? "no known \(a)–\(b) twinning" : count(n, "existing \(a)–\(b) twinning")]
            if r > 0 { out.append("\(r) between their two regions") }
            if a != b, let x = Countries.named(a), let y = Countries.named(b), x.continent == y.continent {
                out.insert("both in \(continentName(x.continent))", at: n == 0 ? 0 : out.count)
            }
            return out
        case .renown:
            let d = graph.degree(c)
            var out = [d == 0 ? "no known partner" : count(d, "known partner")]
            if let v = list.nameVariants(c), v > 0 { out.append("\(count(v, "name")) in GeoNames") }
            return out
        case .themes: return themeFacts(pb)
        case .complement: return complement?.facts(c, in: corpus, queryName: list.name(q)) ?? []
        case .mutual:
            guard let v = mutual[c] else { return [] }
            let points = scale.map { " scores \(Int($0.points(v.reverseRaw).rounded())) of 100 and" } ?? ""
            return ["as \(cName)'s candidate, \(qName)\(points) ranks #\(grouped(Double(v.rank))) among \(cName)'s candidates"]
        case .migration: return migrationFacts(pb)
        case .languages:
            let pa = queryProfile
            let spoken = pa.languages.filter(pb.languages.contains)
            if !spoken.isEmpty { return ["both speak " + listed(spoken.prefix(3).map(languageName))] }
            let national = (Countries.named(pa.country)?.languages ?? []).filter { (Countries.named(pb.country)?.languages ?? []).contains($0) }
            if !national.isEmpty { return [listed(national.prefix(2).map(languageName)) + " spoken in both countries"] }
            return ["no language in common"]
        case .name:
            return foldName(qName) == foldName(cName) ? ["both named \(cName)"] : ["different names"]
        }
    }

    func partnerFacts(_ c: Int) -> [String] {
        let list = corpus.profiles.profiles, q = query, qName = list.name(q), cName = list.name(c)
        let common = commonPartners(c)
        if !common.isEmpty {
            let names = common.prefix(3).map(list.name)
            return (graph.contains(q, c) ? ["already partners"] : [])
                + ["both partners of " + listed(names) + (common.count > 3 ? " and \(common.count - 3) more" : "")]
        }
        var out: [String] = graph.contains(q, c) ? ["already partners"] : []
        let near = TermContext.nearbyKm
        if let z = graph.neighbours[c].map(Int.init).first(where: { $0 != q && corpus.distanceKm(q, $0) <= near }) {
            out.append("twinned with \(list.name(z)), \(grouped(corpus.distanceKm(q, z))) km from \(qName)")
        }
        if let z = graph.neighbours[q].map(Int.init).first(where: { $0 != c && corpus.distanceKm(c, $0) <= near }) {
            out.append("\(grouped(corpus.distanceKm(c, z))) km from \(qName)'s partner \(list.name(z))")
        }
        if out.isEmpty {
            for z in graph.neighbours[q] where Int(z) != c {
                if let y = graph.neighbours[Int(z)].first(where: { Int($0) != q && graph.contains(Int($0), c) }) {
                    out.append("three steps apart: \(qName) – \(list.name(Int(z))) – \(list.name(Int(y))) – \(cName)")
                    break
                }
            }
        }
        if out.isEmpty {
            out.append(graph.degree(q) == 0 ? "\(qName) has no known partner" : "no known partnership links them within three steps")
        }
        return out
    }

    func themeFacts(_ pb: CityProfile) -> [String] {
        let pa = queryProfile
        var out: [String] = []
        let shared = Corpus.sharedThemes(pa, pb)
        if !shared.isEmpty { out.append("shared themes: " + shared.joined(separator: ", ")) }
        for t in pa.offers where pb.seeks.contains(t) { out.append("\(pa.name) offers \(t), which \(pb.name) seeks") }
        for t in pb.offers where pa.seeks.contains(t) { out.append("\(pb.name) offers \(t), which \(pa.name) seeks") }
        let networks = pa.networks.filter(pb.networks.contains).sorted()
        if !networks.isEmpty {
            out.append("both in " + listed(networks.map { Self.network($0, of: [pa, pb]) }))
        }
        // The evidence behind the first shared themes: the programme and year each city has it from.
        for t in shared.prefix(3) {
            let parts = [pa, pb].compactMap { p in Self.evidence(p, "themes", t).map { "\(p.name): \($0)" } }
            if !parts.isEmpty { out.append("\(t) from " + parts.joined(separator: "; ")) }
        }
        return out.isEmpty ? ["no shared theme or network"] : out
    }

    /// A network as its extracts name it, with the year each of `cities` joined where the sources give
    /// one: "Energy Cities (Bergen 2016, Rijeka 2011)". The extracts' name when the cities' evidence
    /// agrees on it; else the slug's (an umbrella such as UNESCO Creative Cities has a name per city).
    static func network(_ slug: String, of cities: [CityProfile]) -> String {
        // Each city's evidence read once, as the programme's name and its year.
        let found = cities.compactMap { p in evidence(p, "networks", slug).map { (city: p.name, programme: programme($0)) } }
        let names = Set(found.map(\.programme.name))
        let name = names.count == 1 ? names.first ?? networkName(slug) : networkName(slug)
        let years = found.compactMap { f in f.programme.year.map { "\(f.city) \($0)" } }
        return years.isEmpty ? name : "\(name) (\(years.joined(separator: ", ")))"
    }

    /// The evidence `p`'s sources give for `field`'s `key` (`themes:youth@European Youth Capital 2019`).
    static func evidence(_ p: CityProfile, _ field: String, _ key: String) -> String? {
        let prefix = "\(field):\(key)@"
        return p.sources.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// An evidence as the programme's name and its trailing year, if any ("Energy Cities 2016" → Energy Cities, 2016).
    static func programme(_ evidence: String) -> (name: String, year: String?) {
        let space = evidence.lastIndex(of: " ")
        let last = space.map { evidence[evidence.index(after: $0)...] } ?? evidence[...]
        guard last.count == 4, Int(last) != nil else { return (evidence, nil) }
        return (String(evidence[..<(space ?? evidence.startIndex)]), String(last))
    }

    func migrationFacts(_ pb: CityProfile) -> [String] {
        let pa = queryProfile
        // The larger share first: the link that counts most.
        let out = [migrationLink(pa, from: pb.country), migrationLink(pb, from: pa.country)].compactMap { $0 }
            .enumerated().sorted { ($0.element.share, $1.offset) > ($1.element.share, $0.offset) }.map(\.element.fact)
        return out.isEmpty ? ["no migration figure links \(countryName(pa.country)) and \(countryName(pb.country))"] : out
    }

    /// The migrants of `p` born in `origin`, said as what it is (see `migrationLink`).
    func migrationFact(_ p: CityProfile, from origin: String) -> String? { migrationLink(p, from: origin)?.fact }

    /// The migrants of `p` born in `origin` and their share of its migrants: the city's own figure when its
    /// profile has migration links, else its country's ("Italy hosts 103,744 people born in Senegal (UN DESA
    /// 2019, a national figure)") from the country-level table; nil without a figure, or for its own country.
    func migrationLink(_ p: CityProfile, from origin: String) -> (fact: String, share: Double)? {
        guard origin != p.country else { return nil }
        if !p.migrationLinks.isEmpty {
            guard let share = p.migrationLinks.first(where: { $0.key == origin })?.weight else { return nil }
            return ("\(p.name): \(percentage(share)) of its migrant residents come from \(countryName(origin))", share)
        }
        let table = corpus.pairGroups.countryMigration
        guard let link = table.link(into: p.country, from: origin) else { return nil }
        return ("\(countryName(p.country)) hosts \(grouped(link.stock)) people born in \(countryName(origin)), \(percentage(link.share)) of its migrants"
            + " (\(table.source): a national figure, not \(p.name)'s)", link.share)
    }

    /// "17%", "1.7%", "under 0.1%".
    func percentage(_ share: Double) -> String {
        share < 0.001 ? "under 0.1%" : String(format: share < 0.1 ? "%.1f%%" : "%.0f%%", share * 100)
    }

    /// "B is 1.5× larger", "about the same size". A population below 1 is unknown, as for the size group
    /// (a tiny one, 1e-300, would make the ratio infinite).
    func sizeRatio(_ b: Double, _ a: Double, _ name: String) -> String {
        guard a >= 1, b >= 1 else { return "population unknown" }
        let r = max(a, b) / min(a, b)
        if r < 1.25 { return "about the same size" }
        let times = r < 10 ? String(format: "%.1f×", r) : "\(Int(r.rounded()))×"
        return "\(name) is \(times) \(b > a ? "larger" : "smaller")"
    }
}

/// A whole number with thousands separators: 72940 → "72,940".
func grouped(_ x: Double) -> String {
    guard x.isFinite else { return "?" }
    let n = Int(x.rounded())
    var digits = String(abs(n)), out = ""
    while digits.count > 3 {
        out = "," + digits.suffix(3) + out
        digits.removeLast(3)
    }
    return (n < 0 ? "-" : "") + digits + out
}

/// Two significant digits: 69,497 → 69,000.
func roughly(_ x: Double) -> Double {
    guard x >= 100 else { return x.rounded() }
    let unit = pow(10, floor(log10(x)) - 1)
    return (x / unit).rounded() * unit
}

func count(_ n: Int, _ noun: String) -> String { "\(grouped(Double(n))) \(noun)\(n == 1 ? "" : "s")" }

/// "a", "a and b", "a, b and c".
func listed(_ items: [String]) -> String {
    guard let last = items.last else { return "" }
    return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
}

func countryName(_ code: String) -> String { Countries.named(code)?.name ?? code }

func continentName(_ code: String) -> String {
    ["AF": "Africa", "AN": "Antarctica", "AS": "Asia", "EU": "Europe", "NA": "North America", "OC": "Oceania", "SA": "South America"][code] ?? code
}

func languageName(_ code: String) -> String { languageNames[code] ?? code }

/// English names of the languages the profiles list, by ISO 639-1 code.
private let languageNames: [String: String] = ["ar": "Arabic", "bg": "Bulgarian", "br": "Breton", "co": "Corsican", "oc": "Occitan", "lb": "Luxembourgish", "mt": "Maltese", "is": "Icelandic", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
                 "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fi": "Finnish", "fr": "French", "ga": "Irish",
                 "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch",
                 "no": "Norwegian", "nb": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
                 "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish",
                 "uk": "Ukrainian", "wo": "Wolof", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "hi": "Hindi"]

/// A network slug as people write it: covenant-of-mayors → Covenant of Mayors, unesco-creative-music →
/// UNESCO Creative Music.
public func networkName(_ slug: String) -> String {
    if let name = spelledNetworks.withLock({ $0[slug] }) { return name }
    let name = spelledNetworkName(slug)
    // The slugs come from the data and from filters: a bounded table, so requests cannot grow it without end.
    spelledNetworks.withLock { if $0.count < 4096 { $0[slug] = name } }
    return name
}

/// The names `networkName` has spelled, by slug: shortlists name the same few networks again and again.
private let spelledNetworks = Mutex<[String: String]>([:])

func spelledNetworkName(_ slug: String) -> String {
    slug.split(separator: "-").enumerated().map { i, w in
        let word = String(w)
        if networkAcronyms.contains(word) { return word.uppercased() }
        if i > 0 && networkSmallWords.contains(word) { return word }
        return word.prefix(1).uppercased() + word.dropFirst()
    }.joined(separator: " ")
}

private let networkAcronyms: Set<String> = ["unesco", "iclei", "urbact", "who", "eu", "c40", "etmun", "icc", "un"]
private let networkSmallWords: Set<String> = ["of", "and", "for", "the", "in", "against", "de"]

func sourceName(_ token: String) -> String {
    token.hasPrefix("un-desa-") ? "UN DESA " + token.dropFirst("un-desa-".count) : token
}
