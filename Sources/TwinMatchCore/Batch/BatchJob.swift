import Foundation

/// How the rows of a batch are named: by their ids, or (without ids) by their 0-based row numbers.
public struct RowIds: Sendable {
    /// The id of every row, or nil for row numbers.
    public let names: [String]?
    public let count: Int
    /// Where the ids come from, as messages name it.
    public let source: String
    let rowOf: [String: Int]

    /// Ids for `count` rows; `names` must be distinct (`source` is named in the error).
    public init(names: [String]?, count: Int, source: String) throws {
        precondition(names == nil || names?.count == count, "one id per row")
        self.names = names
        self.count = count
        self.source = source
        var map: [String: Int] = [:]
        if let names {
            map.reserveCapacity(names.count)
            for (row, id) in names.enumerated() {
                if let first = map[id] { throw InputError(file: source, line: row + 1, "duplicate id '\(id)' (also on line \(first + 1))") }
                map[id] = row
            }
        }
        rowOf = map
    }

    public subscript(row: Int) -> String { names?[row] ?? String(row) }

    public func row(of id: String) -> Int? {
        if names != nil { return rowOf[id] }
        guard let r = Int(id), r >= 0, r < count, String(r) == id else { return nil }
        return r
    }

    /// The rows of the ids listed in the file at `path`, one per line, in file order. A line that names no
    /// row (an unknown id, a blank line) goes to `skipped`: under `.fail` it is the error (file and line),
    /// under `.skip` it is counted and left out. A file none of whose lines names a row is an error.
    public func rows(listedIn path: String, skipping skipped: inout SkippedRows) throws -> [Int] {
        var unknown: [String] = []
        let rows = try readIdList(path: path, skipping: &skipped) { line, id -> Int in
            guard let r = row(of: id) else {
                if unknown.count < 3 { unknown.append("line \(line): '\(id)'") }
                throw InputError(file: path, line: line, field: "id", "'\(id)' names no profile of \(source)")
            }
            return r
        }
        let lines = rows.count + skipped.count
        guard !rows.isEmpty || lines == 0 else {
            throw InputError(file: path, line: 1, "none of its \(lines) lines names a profile of \(source) (\(unknown.joined(separator: ", ")))")
        }
        return rows
    }

    /// For every row, its position in id order (row order without ids).
    public var tieRank: [Int32] { names.map(ProfileSet.ranks(of:)) ?? (0..<count).map { Int32($0) } }
}

extension Corpus {
    /// The rows named by their profile ids.
    public func rowIds() throws -> RowIds {
        try RowIds(names: (0..<count).map { profiles.profiles.id($0) }, count: count, source: profiles.source)
    }
}

/// The float32 matrices of `batch --vectors`: the candidates `x` and, optionally, query-side vectors of
/// the same shape (score(a, b) = q[a] · x[b]), with the ids of their rows.
public struct BatchVectors: Sendable {
    public let x: FloatMatrix
    public let queries: FloatMatrix?
    public let ids: RowIds

    /// Reads and checks the `.npy` files and the id list (one id per row, distinct; values finite).
    public init(vectors: String, queryVectors: String? = nil, ids idPath: String? = nil) throws {
        let x = try NPY.read(path: vectors)
        try Self.checkFinite(x, path: vectors)
        var q: FloatMatrix? = nil
        if let queryVectors {
            let m = try NPY.read(path: queryVectors)
            guard m.rows == x.rows, m.cols == x.cols else {
                throw InputError(file: queryVectors, "shape \(m.rows) × \(m.cols) differs from \(vectors) (\(x.rows) × \(x.cols))")
            }
            try Self.checkFinite(m, path: queryVectors)
            q = m
        }
        var names: [String]? = nil
        if let idPath {
            let list = try readIdList(path: idPath)
            guard list.count == x.rows else { throw InputError(file: idPath, "has \(list.count) ids but \(vectors) has \(x.rows) rows") }
            names = list
        }
        self.x = x
        self.queries = q
        self.ids = try RowIds(names: names, count: x.rows, source: idPath ?? vectors)
    }

    static func checkFinite(_ m: FloatMatrix, path: String) throws {
        if let (r, c) = m.firstNonFinite() {
            throw InputError(file: path, "value at row \(r), column \(c) is not finite (\(m[r, c]))")
        }
    }
}

/// The top-k neighbours of many queries: the table, whose query each row is, how each row is named, and
/// (from a ranker) every score in `Double` with its terms.
public struct NeighbourBatch: Sendable {
    public let table: NeighborTable
    /// The query row of each table row; nil when table row q is row q.
    public let queryRows: [Int]?
    public let ids: RowIds
    /// Per slot of `table`: the score in `Double` (a ranker's, or re-scored vectors'), else nil and `table.scores` holds it.
    public let scores: [Double]?
    /// Per slot of `table`: the score's terms, when they were asked for.
    public let terms: [[Contribution]]?
    /// Rows of the candidate matrix, and its columns.
    public let items: Int
    public let dimension: Int
    /// Whether the symmetric all-pairs path ranked it.
    public let symmetric: Bool

    public func queryRow(_ q: Int) -> Int { queryRows?[q] ?? q }

    /// The score of slot `slot` of `table`.
    public func score(_ slot: Int) -> Double { scores?[slot] ?? Double(table.scores[slot]) }

    /// How many neighbours the table holds.
    public var neighbourCount: Int { table.counts.reduce(0) { $0 + Int($1) } }
}

/// Batch ranking: the top-k of every query (or of listed ones) in one run, in bounded memory.
public enum BatchJob {
    /// Progress: queries (rows) done so far.
    public typealias Progress = @Sendable (Int) -> Void

    /// Whether `run` ranks `vectors` with the symmetric all-pairs path: all rows, no query vectors, `symmetric`.
    public static func usesSymmetric(_ vectors: BatchVectors, queries: [Int]?, symmetric: Bool) -> Bool {
        symmetric && queries == nil && vectors.queries == nil
    }

    /// Ranks the rows of `vectors` by inner product, each row excluding only itself. Without query vectors
    /// and query rows, and with `symmetric`, every pair is scored once (`SymmetricSearch`); otherwise the
    /// queries (all rows, or `queries`) are scored against every row (`ExactSearch`). Either search keeps a
    /// few more than `k` in Float, and the winners are scored again in Double (`DoubleRescore`): scores and
    /// order are the same for every path, tile size and thread count.
    public static func run(_ vectors: BatchVectors, queries: [Int]? = nil, k: Int, symmetric: Bool = true,
                           options: AllPairsOptions = AllPairsOptions(), progress: Progress? = nil) -> NeighbourBatch {
        let x = vectors.x, tieRank = vectors.ids.tieRank
        let rows = queries ?? Array(0..<x.rows)
        let kk = min(k, max(x.rows - 1, 0))
        let wide = min(DoubleRescore.widened(kk), max(x.rows - 1, 0))
        let useSymmetric = usesSymmetric(vectors, queries: queries, symmetric: symmetric)
        let found: NeighborTable
        if useSymmetric {
            found = SymmetricSearch.topK(x, k: wide, tieRank: tieRank, options: options, progress: progress)
        } else {
            let qm = (vectors.queries ?? x).gatherRows(rows)
            let lists = ExactSearch.topK(queries: qm, candidates: x, k: wide, tieRank: tieRank,
                                         options: SearchOptions(queryBlock: options.rowBlock, candidateBlock: options.columnBlock, threads: options.threads)) { i, c in
                rows[i] != c
            }
            found = NeighborTable(k: wide, lists: lists)
            progress?(rows.count)
        }
        let rescore = DoubleRescore(queries: vectors.queries ?? x, candidates: x, tieRank: tieRank)
        let (table, scores) = rescore.top(kk, of: found, rows: rows, threads: options.threads)
        return NeighbourBatch(table: table, queryRows: queries, ids: vectors.ids, scores: scores, terms: nil, items: x.rows,
                              dimension: x.cols, symmetric: useSymmetric)
    }

    /// Ranks the queries (every row of the corpus, or `queries`) with `ranker` under `filter`, in chunks of
    /// `chunk` queries so that memory stays bounded; `terms` keeps every score's terms. `ids` names the rows
    /// (default: `Corpus.rowIds()`).
    public static func run(_ ranker: any Ranker, queries: [Int]? = nil, k: Int, filter: CandidateFilter = CandidateFilter(),
                           terms: Bool = false, chunk: Int = 4096, ids: RowIds? = nil, progress: Progress? = nil) throws -> NeighbourBatch {
        let corpus = ranker.corpus
        let rows = queries ?? Array(0..<corpus.count)
        var out = NeighborTable(k: min(k, max(corpus.count - 1, 0)), queries: rows.count)
        var doubles = [Double](repeating: 0, count: out.rows.count)
        var parts = [[Contribution]](repeating: [], count: terms ? out.rows.count : 0)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + max(1, chunk))
            let lists = ranker.recommend(queries: Array(rows[start..<end]), limit: out.k, filter: filter)
            for (i, list) in lists.enumerated() {
                let q = start + i
                out.counts[q] = Int32(list.results.count)
                for (t, r) in list.results.enumerated() {
                    out.rows[q * out.k + t] = Int32(r.row)
                    out.scores[q * out.k + t] = Float(r.score)
                    doubles[q * out.k + t] = r.score
                    if terms { parts[q * out.k + t] = r.contributions }
                }
            }
            progress?(end)
            start = end
        }
        let ids = try ids ?? corpus.rowIds()
        return NeighbourBatch(table: out, queryRows: queries, ids: ids, scores: doubles, terms: terms ? parts : nil, items: corpus.count,
                              dimension: corpus.stored.cols, symmetric: false)
    }
}
