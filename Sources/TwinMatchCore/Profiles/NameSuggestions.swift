import Foundation

/// A place offered as someone types its name: which row, and how the typed text matched it.
public struct NameSuggestion: Sendable, Equatable {
    public let row: Int
    /// The text is a whole name of the place (folded), not only the start of one.
    public let whole: Bool
    /// The alternate name the text matched, when it matched none of the main name's keys.
    public let alsoKnownAs: String?
}

extension ProfileSet {
    /// Up to `limit` places whose main or alternate names start with `typed` (folded as `nameKeys` folds:
    /// "munc" finds München, "muen" too, "frankfurt am" Frankfurt am Main). Places the text names whole
    /// come first, then by population, ties by id. A filter by `country` (ISO2) is optional.
    ///
    /// - Complexity: a binary search in the sorted name keys, then a walk over the keys with that prefix.
    public func suggestions(_ typed: String, country: String? = nil, limit: Int = 10) -> [NameSuggestion] {
        guard limit > 0 else { return [] }
        let code = country?.uppercased(), lookup = nameLookup
        var found: [Int: (whole: Bool, main: Bool)] = [:]
        for key in nameKeys(typed) {
            lookup.forEachHit(withPrefix: key) { hit, whole in
                if let code, profiles.country(hit.row) != code { return }
                let old = found[hit.row]
                found[hit.row] = ((old?.whole ?? false) || whole, (old?.main ?? false) || !hit.alternate)
            }
        }
        // The best `limit` kept in order as the matches stream past (a short prefix matches 100,000 places).
        typealias Match = (row: Int, whole: Bool, main: Bool)
        func before(_ a: Match, _ b: Match) -> Bool { a.whole != b.whole ? a.whole : precedes(a.row, b.row) }
        var ranked: [Match] = []
        for (row, m) in found {
            let match = (row: row, whole: m.whole, main: m.main)
            if ranked.count == limit, let last = ranked.last, !before(match, last) { continue }
            ranked.insert(match, at: ranked.firstIndex { before(match, $0) } ?? ranked.count)
            if ranked.count > limit { ranked.removeLast() }
        }
        return ranked.map { m in
            NameSuggestion(row: m.row, whole: m.whole, alsoKnownAs: m.main ? nil : alternateName(of: m.row, startingWith: typed))
        }
    }

    /// The first alternate name of `row` one of whose keys starts with one of `typed`'s.
    func alternateName(of row: Int, startingWith typed: String) -> String? {
        let prefixes = nameKeys(typed)
        return profiles.alternateNames(row).first { alt in nameKeys(alt).contains { key in prefixes.contains { key.hasPrefix($0) } } }
    }
}
