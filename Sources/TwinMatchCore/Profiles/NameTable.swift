import Foundation

/// A place a name key leads to, and whether through its main name or one of its alternate names.
public struct NameHit: Sendable, Equatable, Hashable {
    public let row: Int
    /// Matched an alternate name only (not the main name or a part of it).
    public let alternate: Bool

    public init(row: Int, alternate: Bool) {
        self.row = row
        self.alternate = alternate
    }
}

/// Finds places by name key (see `nameKeys`): an in-memory dictionary, or the key table of an index.
public protocol NameLookup: Sendable {
    /// Every place with `key` among its keys, each row once (as a main-name hit when it is one).
    func hits(forKey key: String) -> [NameHit]
    /// Calls `body` with every hit of every key that starts with `prefix` (a row may come more than once),
    /// and whether that key is `prefix` itself.
    func forEachHit(withPrefix prefix: String, _ body: (NameHit, _ whole: Bool) -> Void)
}

/// The keys of one place, each once: those of its main name (and its parts), then those only its
/// alternate names have.
public func nameEntries(name: String, alternateNames: [String]) -> [(key: String, alternate: Bool)] {
    var seen = Set<String>()
    var out: [(key: String, alternate: Bool)] = []
    for part in mainNameParts(name) {
        for key in nameKeys(part) where seen.insert(key).inserted { out.append((key, false)) }
    }
    for alt in alternateNames {
        for key in nameKeys(alt) where seen.insert(key).inserted { out.append((key, true)) }
    }
    return out
}

/// Name keys to places, built once from every row's names.
public struct NameDictionary: NameLookup {
    let table: [String: [NameHit]]
    /// The keys in UTF-8 order, for prefix searches: sorted on first use.
    private let sorted = LazyValue<[String]>()

    public init(names: (Int) -> (name: String, alternates: [String]), count: Int) {
        var table: [String: [NameHit]] = [:]
        table.reserveCapacity(2 * count)
        for row in 0..<count {
            let (name, alternates) = names(row)
            for entry in nameEntries(name: name, alternateNames: alternates) {
                table[entry.key, default: []].append(NameHit(row: row, alternate: entry.alternate))
            }
        }
        self.table = table
    }

    public func hits(forKey key: String) -> [NameHit] { table[key] ?? [] }

    public func forEachHit(withPrefix prefix: String, _ body: (NameHit, _ whole: Bool) -> Void) {
        let keys = sorted.get { table.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
        let target = Array(prefix.utf8)
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Array(keys[mid].utf8).lexicographicallyPrecedes(target) { lo = mid + 1 } else { hi = mid }
        }
        for key in keys[lo...] {
            guard key.utf8.starts(with: target) else { break }
            for hit in table[key] ?? [] { body(hit, key.utf8.count == target.count) }
        }
    }
}

/// A value computed on first use and then shared by every copy of the struct that holds it, from any thread.
final class LazyValue<Value: Sendable>: Sendable {
    init() {}

    private let value = Locked<Value?>(nil)

    func get(_ make: () -> Value) -> Value {
        value.withLock { stored in
            if let v = stored { return v }
            let v = make()
            stored = v
            return v
        }
    }
}

extension ProfileSet {
    /// The name lookup of the set: an index's stored key table, or a dictionary built on first use.
    public var nameLookup: any NameLookup {
        if let table = profiles.storedNameLookup { return table }
        return names.get {
            NameDictionary(names: { row in (profiles.name(row), profiles.alternateNames(row)) }, count: count)
        }
    }

    /// The places whose names match `text` (any of its keys), each once, main-name hits first preferred.
    public func nameHits(_ text: String) -> [NameHit] {
        let lookup = nameLookup
        var byRow: [Int: Bool] = [:]
        for key in nameKeys(text) {
            for hit in lookup.hits(forKey: key) { byRow[hit.row] = (byRow[hit.row] ?? true) && hit.alternate }
        }
        return byRow.keys.sorted().map { NameHit(row: $0, alternate: byRow[$0] ?? true) }
    }
}
