import Foundation

/// Known partnerships read from a CSV with `geonameid_a,geonameid_b` (other columns ignored), mapped to
/// profile rows. Problems with single pairs are counted and reported, not fatal.
public struct KnownPairs: Sendable {
    /// Undirected pairs of rows, each once, `a < b`, in file order.
    public let pairs: [(Int, Int)]
    public let file: String
    /// Pairs naming an id that is not in the profiles.
    public let unknownIds: Int
    public let selfPairs: Int
    public let duplicates: Int
    /// Lines whose ids were empty.
    public let blank: Int

    public init(pairs: [(Int, Int)], file: String = "", unknownIds: Int = 0, selfPairs: Int = 0, duplicates: Int = 0, blank: Int = 0) {
        self.pairs = pairs
        self.file = file
        self.unknownIds = unknownIds
        self.selfPairs = selfPairs
        self.duplicates = duplicates
        self.blank = blank
    }

    /// Reads `path`, resolving ids with `row(ofId:)`.
    public static func read(path: String, rowOf: (String) -> Int?) throws -> KnownPairs {
        let records = try CSVReader.read(path: path)
        guard let header = records.first else { throw InputError(file: path, "the file is empty: expected a header with geonameid_a,geonameid_b") }
        return try parse(header: header, rows: records.dropFirst(), file: path, rowOf: rowOf)
    }

    /// Pairs from the rows of a CSV with the header `header` (lines numbered as in `file`).
    public static func parse(header: CSVRecord, rows: some Sequence<CSVRecord>, file path: String, rowOf: (String) -> Int?) throws -> KnownPairs {
        let names = header.fields.map { trimSpaces($0).lowercased() }
        let (ia, ib) = try idColumns(header, file: path)
        var pairs: [(Int, Int)] = []
        var seen = Set<Int64>()
        var unknown = 0, selfPairs = 0, duplicates = 0, blank = 0
        for r in rows {
            guard r.fields.count == names.count else {
                throw InputError(file: path, line: r.line, "expected \(names.count) fields as in the header, found \(r.fields.count)")
            }
            let a = normaliseId(r.fields[ia]), b = normaliseId(r.fields[ib])
            if a.isEmpty || b.isEmpty { blank += 1; continue }
            guard let ra = rowOf(a), let rb = rowOf(b) else { unknown += 1; continue }
            if ra == rb { selfPairs += 1; continue }
            let key = Int64(min(ra, rb)) << 32 | Int64(max(ra, rb))
            if !seen.insert(key).inserted { duplicates += 1; continue }
            pairs.append((min(ra, rb), max(ra, rb)))
        }
        return KnownPairs(pairs: pairs, file: path, unknownIds: unknown, selfPairs: selfPairs, duplicates: duplicates, blank: blank)
    }

    /// Where the two id columns, geonameid_a and geonameid_b, are in `header`; a data error naming the
    /// missing one when it lacks either.
    public static func idColumns(_ header: CSVRecord, file path: String) throws -> (Int, Int) {
        let names = header.fields.map { trimSpaces($0).lowercased() }
        guard let ia = names.firstIndex(of: "geonameid_a") else { throw InputError(file: path, line: header.line, field: "geonameid_a", "missing column") }
        guard let ib = names.firstIndex(of: "geonameid_b") else { throw InputError(file: path, line: header.line, field: "geonameid_b", "missing column") }
        return (ia, ib)
    }

    /// "123.0" → "123": ids written as floats by spreadsheet tools.
    static func normaliseId(_ raw: String) -> String {
        let t = trimSpaces(raw)
        if t.hasSuffix(".0"), Int(t.dropLast(2)) != nil { return String(t.dropLast(2)) }
        return t
    }

    /// A one-line account of what was read and skipped.
    public var summary: String {
        var parts = ["\(pairs.count) pairs"]
        if unknownIds > 0 { parts.append("\(unknownIds) naming ids not in the profiles (skipped)") }
        if selfPairs > 0 { parts.append("\(selfPairs) self-pairs (skipped)") }
        if duplicates > 0 { parts.append("\(duplicates) duplicates (skipped)") }
        if blank > 0 { parts.append("\(blank) with an empty id (skipped)") }
        return "\(file): " + parts.joined(separator: ", ")
    }
}

/// The partnership graph: undirected adjacency over profile rows, each partnership once. Build it with
/// `Corpus.partnerships(adding:)`, which joins the profiles' own partners and known pairs the same way for
/// every input.
public struct PairGraph: Sendable {
    /// Per row, its partners in ascending row order: `neighbours[row]`.
    public let neighbours: Adjacency
    /// The rows with at least one partner, ascending.
    public let partnered: [Int32]

    /// Compressed rows: row r's partners are `targets[offsets[r] ..< offsets[r + 1]]`. A graph without any
    /// partnership stores nothing, however many rows it has.
    public struct Adjacency: Sendable, Equatable {
        let offsets: [Int32]
        let targets: [Int32]
        public let count: Int

        public subscript(row: Int) -> ArraySlice<Int32> {
            offsets.isEmpty ? [] : targets[Int(offsets[row])..<Int(offsets[row + 1])]
        }
    }

    /// The graph of `pairs` over `count` rows (self-pairs and rows out of range are ignored; a pair listed
    /// twice counts twice: pass distinct pairs).
    public init(count: Int, pairs: [(Int, Int)]) {
        let valid = pairs.filter { $0.0 != $0.1 && $0.0 >= 0 && $0.1 >= 0 && $0.0 < count && $0.1 < count }
        guard !valid.isEmpty else {
            neighbours = Adjacency(offsets: [], targets: [], count: count)
            partnered = []
            return
        }
        var degree = [Int32](repeating: 0, count: count + 1)
        for (a, b) in valid { degree[a + 1] += 1; degree[b + 1] += 1 }
        for i in 0..<count { degree[i + 1] += degree[i] }
        var next = degree
        var targets = [Int32](repeating: 0, count: 2 * valid.count)
        for (a, b) in valid {
            targets[Int(next[a])] = Int32(b); next[a] += 1
            targets[Int(next[b])] = Int32(a); next[b] += 1
        }
        for r in 0..<count where degree[r + 1] - degree[r] > 1 { targets[Int(degree[r])..<Int(degree[r + 1])].sort() }
        neighbours = Adjacency(offsets: degree, targets: targets, count: count)
        partnered = (0..<Int32(count)).filter { degree[Int($0) + 1] > degree[Int($0)] }
    }

    /// The graph of the distinct pairs among `pairs`, whichever way round each is written.
    public init(count: Int, distinct pairs: some Sequence<(Int, Int)>) {
        let unique = Set(pairs.filter { $0.0 != $0.1 }.map { PairKey($0.0, $0.1) }).sorted()
        self.init(count: count, pairs: unique.map { ($0.a, $0.b) })
    }

    public var count: Int { neighbours.count }

    /// How many partnerships it holds.
    public var edgeCount: Int { neighbours.targets.count / 2 }

    public func degree(_ row: Int) -> Int {
        neighbours.offsets.isEmpty ? 0 : Int(neighbours.offsets[row + 1] - neighbours.offsets[row])
    }

    public func contains(_ a: Int, _ b: Int) -> Bool {
        let list = neighbours[a]
        var lo = list.startIndex, hi = list.endIndex
        let t = Int32(b)
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.endIndex && list[lo] == t
    }

    /// Every partnership once, smaller row first, in ascending order.
    public var pairs: [(Int, Int)] {
        var out: [(Int, Int)] = []
        for a in 0..<count { for b in neighbours[a] where Int(b) > a { out.append((a, Int(b))) } }
        return out
    }
}

/// An undirected pair, smaller row first.
struct PairKey: Hashable, Comparable {
    let a: Int, b: Int
    init(_ x: Int, _ y: Int) { a = min(x, y); b = max(x, y) }
    static func < (l: PairKey, r: PairKey) -> Bool { (l.a, l.b) < (r.a, r.b) }
}
