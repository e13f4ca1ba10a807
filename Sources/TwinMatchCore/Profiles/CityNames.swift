import Foundation

/// A city found by name or id, and what a person should hear about how it was found.
public struct ResolvedCity: Sendable, Equatable {
    public let row: Int
    /// Set when a name was shared and one place was taken, or a country code was read as another.
    public let notes: [String]

    public init(row: Int, notes: [String] = []) {
        self.row = row
        self.notes = notes
    }

    /// The notes as one line, or nil.
    public var note: String? { notes.isEmpty ? nil : notes.joined(separator: "; ") }
}

extension ProfileSet {
    /// Finds a city by id, or by name (also `NAME,ISO2`) within an optional country.
    ///
    /// Names are compared folded (`nameKeys`: case, diacritics, umlauts written ae/oe/ue, spaces, hyphens
    /// and apostrophes don't matter). The places that match are taken in tiers: those spelled exactly as
    /// typed, then those whose main name matches, then those with it among their alternate names; the first
    /// tier with a place wins, except that a later tier whose largest place is 10× (main over exact
    /// spelling) or 100× (alternate over main name) more populous is taken instead, so that "Muenster"
    /// finds Münster rather than a village in Texas and "Roma" Rome rather than Roma in Lesotho. Within the
    /// tier, one place at least 10× more populous than the next means it (with a note); otherwise the name
    /// is `CityLookupError.ambiguous` (the ten largest, with their regions). A country that excludes every
    /// match is `.notInCountry` with the matches elsewhere; an unknown name is `.unknownName` with the five
    /// closest names. Ties go by population, then id.
    public func resolve(name: String?, country: String? = nil, id: String? = nil) throws -> ResolvedCity {
        if let id {
            guard let row = row(ofId: id) else { throw CityLookupError.unknownId(id) }
            return ResolvedCity(row: row)
        }
        guard let typed = name.map(trimSpaces), !typed.isEmpty else { throw CityLookupError.missing }
        var text = typed, notes: [String] = []
        var code: String?
        if let country {
            let (c, note) = try Self.countryCode(country)
            code = c
            notes += note.map { [$0] } ?? []
        }
        if let split = Self.splitCountrySuffix(typed), nameHits(typed).isEmpty {
            let (c, note) = try Self.countryCode(split.suffix)
            if let code, code != c { throw OptionError("--country", "'\(typed)' names country \(c) but --country says \(code)") }
            text = split.base
            code = c
            notes += note.map { [$0] } ?? []
        }
        let all = nameHits(text)
        let hits = code.map { c in all.filter { profiles.country($0.row) == c } } ?? all
        guard !hits.isEmpty else {
            if let code, !all.isEmpty {
                let listed = ordered(all.filter { !$0.alternate }.map(\.row)) + ordered(all.filter(\.alternate).map(\.row))
                throw CityLookupError.notInCountry(text, country: code, elsewhere: matches(listed.prefix(10), hits: all, typed: text))
            }
            throw CityLookupError.unknownName(text, country: code, closest: matches(closestRows(to: text, country: code), hits: [], typed: text))
        }
        let exact = hits.filter { !$0.alternate && mainNameParts(profiles.name($0.row)).contains(text) }.map(\.row)
        let main = hits.filter { !$0.alternate }.map(\.row)
        var chosen = ordered(exact.isEmpty ? (main.isEmpty ? hits.map(\.row) : main) : exact)
        if !exact.isEmpty, let top = ordered(main).first, outweighs(top, chosen[0], by: 10) { chosen = ordered(main) }
        if !main.isEmpty, let top = ordered(hits.map(\.row)).first, outweighs(top, chosen[0], by: 100) { chosen = ordered(hits.map(\.row)) }

        let others = hits.count - 1
        if chosen.count == 1 || outweighs(chosen[0], chosen[1], by: 10) {
            if others > 0 {
                let p = match(chosen[0])
                let why = chosen.count > 1 ? "the largest of \(hits.count) places of that name"
                    : exact.count == 1 && chosen == exact ? "the place spelled exactly so, of \(hits.count) places of that name"
                    : "the place with that main name, of \(hits.count) places of that name"
                notes.append("'\(typed)' taken as \(p.name) (\(p.country)), id \(p.id), \(why); use --country or --id for another")
            }
            return ResolvedCity(row: chosen[0], notes: notes)
        }
        throw CityLookupError.ambiguous(text, matches: matches(chosen.prefix(10), hits: hits, typed: text))
    }

    /// Finds a city written as an id, `NAME,ISO2` (e.g. `Frankfurt,DE`) or a name.
    public func resolve(_ text: String) throws -> ResolvedCity {
        if row(ofId: text) != nil { return try resolve(name: nil, id: text) }
        return try resolve(name: text)
    }

    /// The place of `row` as errors list it.
    public func match(_ row: Int, region: String = "") -> CityMatch {
        CityMatch(id: profiles.id(row), name: profiles.name(row), country: profiles.country(row), population: profiles.population(row), region: region)
    }

    /// The places of `rows` as errors list them, each with its region, and the name typed when only an
    /// alternate name of the place matched it (per `hits`).
    func matches<C: Collection<Int>>(_ rows: C, hits: [NameHit], typed: String) -> [CityMatch] {
        let labels = regionLabels(Array(rows))
        let alternate = Set(hits.filter(\.alternate).map(\.row))
        return rows.map { row in
            let p = match(row, region: labels[row] ?? "")
            guard alternate.contains(row) else { return p }
            return CityMatch(id: p.id, name: p.name, country: p.country, population: p.population, region: p.region, alsoKnownAs: typed)
        }
    }

    /// Rows whose main or alternate name matches `name` (folded, see `nameKeys`), optionally within
    /// `country`, in row order.
    public func rows(named name: String, country: String? = nil) -> [Int] {
        let code = country?.uppercased()
        return nameHits(name).map(\.row).filter { code == nil || profiles.country($0) == code }
    }

    /// Up to `count` rows whose main names are closest to `name`, most populous first among equals.
    ///
    /// - Complexity: a scan over the set (this is for error messages).
    public func closestRows(to name: String, country: String? = nil, count: Int = 5) -> [Int] {
        let key = foldName(name), code = country?.uppercased()
        var scored: [(row: Int, distance: Int)] = []
        for row in profiles.indices where code == nil || profiles.country(row) == code {
            let folded = foldName(profiles.name(row))
            var d = editDistance(key, folded)
            if folded.hasPrefix(key) || key.hasPrefix(folded) { d = min(d, 1) }
            scored.append((row, d))
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : precedes($0.row, $1.row) }
        return scored.prefix(count).map(\.row)
    }

    /// `rows` most populous first, ties by id.
    func ordered(_ rows: [Int]) -> [Int] { rows.sorted(by: precedes) }

    /// Whether place `a` has at least `factor` times the people of place `b` (an unknown 0 counts as 1).
    func outweighs(_ a: Int, _ b: Int, by factor: Double) -> Bool {
        profiles.population(a) >= factor * max(1, profiles.population(b))
    }

    /// `Frankfurt,DE` as ("Frankfurt", "DE"): a name, a comma and two letters.
    static func splitCountrySuffix(_ text: String) -> (base: String, suffix: String)? {
        guard let comma = text.lastIndex(of: ",") else { return nil }
        let base = trimSpaces(text[..<comma]), suffix = trimSpaces(text[text.index(after: comma)...])
        guard !base.isEmpty, suffix.count == 2, suffix.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return (base, suffix)
    }

    /// An ISO 3166-1 alpha-2 code as written by a person: any case; UK and EL (the codes the EU uses for
    /// the United Kingdom and Greece) are read as GB and GR, with a note. Anything else is
    /// `CityLookupError.unknownCountry`, naming the code when the text is a country's name.
    public static func countryCode(_ raw: String) throws -> (code: String, note: String?) {
        let code = trimSpaces(raw).uppercased()
        if Countries.named(code) != nil { return (code, nil) }
        if let iso = ["UK": "GB", "EL": "GR"][code] { return (iso, "country \(code) taken as \(iso), its ISO 3166-1 code") }
        let key = foldName(raw)
        let named = Countries.codes.first { foldName(Countries.named($0)?.name ?? "") == key }
        throw CityLookupError.unknownCountry(raw, suggestion: named.map { "\($0) (\(Countries.named($0)?.name ?? $0))" })
    }
}
