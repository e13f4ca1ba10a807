import Foundation

extension CandidateFilter {
    /// One condition of a filter, alone: how it reads, and whether a candidate passes it.
    struct Condition {
        /// "have theme youth", "are within 300 km".
        let label: String
        /// How to lift it, where an option does ("--allow-same-country lifts this").
        var hint: String? = nil
        let admits: (Int) -> Bool

        /// The label with its hint in brackets.
        var noticeLabel: String { label + (hint.map { " (\($0))" } ?? "") }
    }

    /// The filter's conditions for query row `q`, each alone (the themes one by one).
    func conditions(query q: Int, list: ProfileList) -> [Condition] {
        var out: [Condition] = []
        let country = list.country(q)
        let lat = list.latitude(q), lon = list.longitude(q)
        func km(_ c: Int) -> Double { haversineKm(lat, lon, list.latitude(c), list.longitude(c)) }
        if excludeSameCountry { out.append(Condition(label: "are outside \(countryName(country))", hint: "--allow-same-country lifts this") { list.country($0) != country }) }
        if !countries.isEmpty {
            out.append(Condition(label: "are in \(listed(countries.sorted().map(countryName)))") { countries.contains(list.country($0)) })
        }
        if !excludedCountries.isEmpty {
            out.append(Condition(label: "are outside \(listed(excludedCountries.sorted().map(countryName)))") { !excludedCountries.contains(list.country($0)) })
        }
        if !regions.isEmpty {
            out.append(Condition(label: "are in region \(listed(regions.sorted()))") { regions.contains(list.country($0) + "/" + list.region($0)) })
        }
        if let areas { out.append(Condition(label: "are in the country groups asked for") { Self.lies($0, in: areas, list) }) }
        if onlyOpen { out.append(Condition(label: "say they are open to new partners (status open)") { list.status($0) == .open }) }
        if let minKm { out.append(Condition(label: "are at least \(grouped(minKm)) km away") { km($0) >= minKm }) }
        if let maxKm { out.append(Condition(label: "are within \(grouped(maxKm)) km") { km($0) <= maxKm }) }
        if let minPopulation { out.append(Condition(label: "have at least \(grouped(minPopulation)) people") { list.population($0) >= minPopulation }) }
        if let maxPopulation { out.append(Condition(label: "have at most \(grouped(maxPopulation)) people") { list.population($0) <= maxPopulation }) }
        return out
    }

    /// The filter's conditions for query row `q` in words, one each ("are outside France", "are within
    /// 300 km", "have theme youth", "belong to Energy Cities"); empty when any place may be proposed.
    public func summary(query q: Int, list: ProfileList) -> [String] {
        var out = conditions(query: q, list: list).map(\.label) + requiredThemes.map { "have theme \($0)" }
            + requiredNetworks.map { "belong to \(networkName($0))" }
        if !blend.isPeer { out.append("ranked by the fits \(blend.description)") }
        if mutual { out.append("ranked by mutual fit") }
        if let cap = shape.maxPerCountry { out.append("at most \(cap) per country") }
        if shape.mixedSizes { out.append("mixed sizes") }
        if let λ = shape.relevance { out.append("diverse (relevance weight \(JSON.number(λ)))") }
        return out
    }

    /// Why no candidate passed: every condition alone, with how many of the query's candidates (not itself,
    /// not its known partners) pass it, the ones no candidate passes named first. Themes are decoded from
    /// the profiles once per candidate; this reads every row, so it is only for an empty result.
    public func emptyNotice(query q: Int, corpus: Corpus, graph: PairGraph) -> String {
        let list = corpus.profiles.profiles
        let candidates = (0..<list.count).filter { $0 != q && !graph.contains(q, $0) }
        var parts = conditions(query: q, list: list).map { c in (c.noticeLabel, candidates.filter(c.admits).count) }
        if !requiredThemes.isEmpty {
            var counts = [Int](repeating: 0, count: requiredThemes.count)
            for c in candidates {
                let all = list[c].allThemes
                for (i, t) in requiredThemes.enumerated() where all.contains(t) { counts[i] += 1 }
            }
            parts += zip(requiredThemes, counts).map { ("have theme \($0)", $1) }
        }
        for slug in requiredNetworks {
            let k = corpus.memberships.network(named: slug)
            parts.append(("belong to \(slug)", candidates.filter { c in k.map { corpus.memberships.networks(of: c).contains($0) } ?? false }.count))
        }
        let name = list.name(q)
        guard !candidates.isEmpty else { return "no candidate for \(name): the profiles hold no other place that is not already its partner" }
        guard !parts.isEmpty else { return "no candidate for \(name) among \(count(candidates.count, "place"))" }
        let alone = parts.map { "\(grouped(Double($0.1))) \($0.1 == 1 ? singular($0.0) : $0.0)" }.joined(separator: ", ")
        let empty = parts.filter { $0.1 == 0 }.map(\.0)
        let verdict = empty.isEmpty
            ? "each condition alone leaves some, all of them together none"
            : empty.map { "none \($0)" }.joined(separator: "; ") + (empty.count == 1 ? " (that condition alone empties the list)" : " (each of those alone empties the list)")
        return "no candidate for \(name) passes every filter: \(verdict). Of its \(grouped(Double(candidates.count))) candidates, \(alone)"
    }
}

/// "have theme youth" → "has theme youth", "are within 300 km" → "is within 300 km".
private func singular(_ label: String) -> String {
    if label.hasPrefix("have ") { return "has " + label.dropFirst(5) }
    if label.hasPrefix("are ") { return "is " + label.dropFirst(4) }
    return label
}
