import ArgumentParser
import Foundation
import TwinMatchCore

enum BatchFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
}

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank the top-k partners of every city (or of listed ones) in one run.",
        discussion: """
        Input is either city profiles (--profiles: the same weights and filters as `recommend`, known \
        partners and the city itself excluded) or a float32 .npy matrix (--vectors: score = inner product of \
        rows, only the row itself excluded; with --query-vectors Q.npy, score(a, b) = Q[a] · X[b], as written \
        by `embed`). Without --ids, ids are 0-based row numbers. Ties are broken by score, then id.

        Output: CSV `query_id,rank,candidate_id,score` (rank from 1) or JSON Lines, written to a temporary \
        file and renamed into place when complete, plus FILE.manifest.json with input SHA-256s, options, \
        row counts, timings and the BLAS in use. Progress goes to standard error when it is a terminal.
        """)

    @Option(help: "City profiles, CSV or JSON Lines.") var profiles: String?
    @Option(help: "A binary index from `twinmatch index` (like --profiles, memory-mapped).") var index: String?
    @Option(help: "A float32 2-D .npy matrix, one row per item.") var vectors: String?
    @Option(help: "Query-side vectors for --vectors (same shape), e.g. X.queries.npy from `embed`.") var queryVectors: String?
    @Option(help: "Ids of the --vectors rows, one per line in row order.") var ids: String?
    @Option(help: "How many neighbours per row.") var k: Int
    @Option(help: "The output file.") var out: String
    @Option(help: "Output format: csv or jsonl.") var format: BatchFormat = .csv
    @Flag(help: "JSON Lines: each neighbour's score split into its terms (the model's with --model, else the feature groups').")
    var terms = false
    @Option(help: "Only these query ids (one per line).") var queries: String?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Flag(help: "Use the query × candidate path even where the symmetric one applies (for tests and benchmarks).")
    var noSymmetric = false
    @Option(help: ArgumentHelp("Rows per GEMM tile.", visibility: .hidden)) var rowBlock = 256
    @Option(help: ArgumentHelp("Columns per GEMM tile.", visibility: .hidden)) var columnBlock = 1024
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var learned: ModelOptions
    @Flag(help: "Treat unknown themes as errors instead of warnings (--profiles).") var strict = false

    func validate() throws {
        if [profiles, index, vectors].compactMap({ $0 }).count != 1 { throw ValidationError("give exactly one of --profiles, --index and --vectors") }
        if k < 1 { throw ValidationError("--k must be at least 1 (got \(k))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if rowBlock < 1 || columnBlock < 1 { throw ValidationError("tile sizes must be at least 1") }
        if vectors != nil && (scoring.weights != nil || filters.filter != CandidateFilter() ) {
            throw ValidationError("--weights and candidate filters apply to --profiles only")
        }
        if vectors == nil && (ids != nil || queryVectors != nil) { throw ValidationError("--ids and --query-vectors apply to --vectors only") }
        if vectors != nil && (learned.model != nil || learned.known.knownPairs != nil) {
            throw ValidationError("--model and --known-pairs apply to --profiles and --index only")
        }
        if terms && (format != .jsonl || vectors != nil) { throw ValidationError("--terms needs --format jsonl and --profiles or --index") }
    }

    func run() throws {
        let started = ProcessStats.now()
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        var timings: [(String, Double)] = []
        var inputs: [String] = []
        var manifestOptions: [(String, JSON)] = [("k", .int(k)), ("format", .string(format.rawValue)), ("threads", .int(threadCount))]

        let idOf: (Int) -> String
        let table: NeighborTable
        var queryRows: [Int]? = nil
        var rowCount = 0, dimension = 0
        var scoresAreDouble: [Double]? = nil
        var contributions: [[Contribution]]? = nil

        if let vectors {
            inputs.append(vectors)
            let x = try NPY.read(path: vectors)
            rowCount = x.rows; dimension = x.cols
            try checkFinite(x, path: vectors)
            var q: FloatMatrix? = nil
            if let queryVectors {
                inputs.append(queryVectors)
                let m = try NPY.read(path: queryVectors)
                guard m.rows == x.rows, m.cols == x.cols else {
                    throw InputError(file: queryVectors, "shape \(m.rows) × \(m.cols) differs from \(vectors) (\(x.rows) × \(x.cols))")
                }
                try checkFinite(m, path: queryVectors)
                q = m
            }
            var names: [String]? = nil
            if let ids {
                inputs.append(ids)
                let list = try readIdList(path: ids)
                guard list.count == x.rows else {
                    throw InputError(file: ids, "has \(list.count) ids but \(vectors) has \(x.rows) rows")
                }
                names = list
            }
            let rank: [Int32] = names.map(ProfileSet.ranks(of:)) ?? (0..<x.rows).map { Int32($0) }
            let lookup = try IdLookup(names: names, count: x.rows, source: ids ?? vectors)
            if let queries {
                inputs.append(queries)
                queryRows = try lookup.rows(listedIn: queries)
            }
            idOf = { names?[$0] ?? String($0) }
            timings.append(("load_s", ProcessStats.now() - started))

            let searchStart = ProcessStats.now()
            let progress = Progress(total: queryRows?.count ?? x.rows)
            let symmetric = queryRows == nil && q == nil && !noSymmetric
            manifestOptions += [("symmetric", .bool(symmetric)), ("row_block", .int(rowBlock)), ("column_block", .int(columnBlock))]
            if symmetric {
                table = SymmetricSearch.topK(x, k: k, tieRank: rank,
                                             options: AllPairsOptions(rowBlock: rowBlock, columnBlock: columnBlock, threads: threadCount),
                                             progress: progress.callback)
            } else {
                let rows = queryRows ?? Array(0..<x.rows)
                let qm = (q ?? x).gatherRows(rows)
                let lists = ExactSearch.topK(queries: qm, candidates: x, k: min(k, x.rows), tieRank: rank,
                                             options: SearchOptions(queryBlock: rowBlock, candidateBlock: columnBlock, threads: threadCount)) { i, c in
                    rows[i] != c
                }
                let kk = min(k, max(x.rows - 1, 0))
                table = NeighborTable(k: kk, lists: lists.map { Array($0.prefix(kk)) })
            }
            progress.finish()
            timings.append(("search_s", ProcessStats.now() - searchStart))
        } else {
            let path = profiles ?? index!
            inputs.append(path)
            let set = profiles != nil ? try ProfileLoader(strict: strict).load(path: path) : ProfileSet(store: try CityIndex(path: path), source: path)
            for w in set.warnings.prefix(5) { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            if set.warnings.count > 5 { FileHandle.standardError.write(Data("warning: … and \(set.warnings.count - 5) more warnings\n".utf8)) }
            let recommender = Recommender(profiles: set)
            recommender.searchOptions = SearchOptions(queryBlock: rowBlock, candidateBlock: max(columnBlock, 1), threads: threadCount)
            rowCount = set.count; dimension = recommender.stored.cols
            let lookup = try IdLookup(names: (0..<set.count).map { set.profiles.id($0) }, count: set.count, source: path)
            if let queries {
                inputs.append(queries)
                queryRows = try lookup.rows(listedIn: queries)
            }
            idOf = { set.profiles.id($0) }
            timings.append(("load_s", ProcessStats.now() - started))
            let weights = try scoring.groupWeights()
            manifestOptions += [("weights", .object(FeatureGroup.allCases.map { ($0.rawValue, .number(weights[$0])) })),
                                ("filters", filterJSON(filters.filter)), ("symmetric", .bool(false))]
            let ranker = try learned.ranker(set, recommender)
            if let model = learned.model {
                manifestOptions.append(("model", .string(model)))
                inputs.append(model == "default" ? ModelOptions.defaultModelPath : model)
            }
            if let pairs = learned.known.knownPairs { inputs.append(pairs); manifestOptions.append(("known_pairs", .string(pairs))) }
            let searchStart = ProcessStats.now()
            let rows = queryRows ?? Array(0..<set.count)
            let progress = Progress(total: rows.count)
            var out = NeighborTable(k: min(k, max(set.count - 1, 0)), queries: rows.count)
            var doubles = [Double](repeating: 0, count: out.rows.count)
            var parts = [[Contribution]](repeating: [], count: terms ? out.rows.count : 0)
            // In chunks, so memory stays bounded and progress moves.
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + 4096)
                let chunk = Array(rows[start..<end])
                let lists = ranker?.recommend(queries: chunk, limit: out.k, filter: filters.filter)
                    ?? recommender.recommend(queries: chunk, limit: out.k, weights: weights, filter: filters.filter)
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
                progress.callback(end)
                start = end
            }
            progress.finish()
            table = out
            scoresAreDouble = doubles
            contributions = parts
            timings.append(("search_s", ProcessStats.now() - searchStart))
        }

        // Stream the output to a temporary file, then rename it into place.
        let writeStart = ProcessStats.now()
        let temp = AtomicFile.temporaryPath(for: out)
        var written = 0
        do {
            let writer = try BufferedWriter(path: temp, finalPath: out)
            if format == .csv { writer.append("query_id,rank,candidate_id,score\n") }
            let idBytes = IdBytes(idOf, count: rowCount, quoteForCSV: format == .csv)
            for q in 0..<table.queryCount {
                let queryRow = queryRows?[q] ?? q
                let count = Int(table.counts[q])
                if format == .jsonl {
                    writer.append("{\"query_id\":")
                    writer.append(JSON.quote(idOf(queryRow)))
                    writer.append(",\"neighbors\":[")
                }
                for t in 0..<count {
                    let slot = q * table.k + t
                    let score = scoresAreDouble?[slot] ?? Double(table.scores[slot])
                    let c = Int(table.rows[slot])
                    if format == .csv {
                        idBytes.append(queryRow, to: writer)
                        writer.byte(0x2C)
                        writer.integer(t + 1)
                        writer.byte(0x2C)
                        idBytes.append(c, to: writer)
                        writer.byte(0x2C)
                        writer.fixed6(score)
                        writer.byte(0x0A)
                    } else {
                        if t > 0 { writer.byte(0x2C) }
                        writer.append("{\"rank\":")
                        writer.integer(t + 1)
                        writer.append(",\"candidate_id\":")
                        writer.append(JSON.quote(idOf(c)))
                        writer.append(",\"score\":")
                        writer.fixed6(score)
                        if let contributions, slot < contributions.count {
                            writer.append(",\"terms\":{")
                            for (j, part) in contributions[slot].enumerated() {
                                if j > 0 { writer.byte(0x2C) }
                                writer.append(JSON.quote(part.name))
                                writer.byte(0x3A)
                                writer.fixed6(part.value)
                            }
                            writer.byte(0x7D)
                        }
                        writer.byte(0x7D)
                    }
                    written += 1
                }
                if format == .jsonl { writer.append("]}\n") }
            }
            try writer.close()
        } catch {
            unlink(temp)
            throw error
        }
        timings.append(("write_s", ProcessStats.now() - writeStart))

        // The manifest, then the output: both appear only when everything is done.
        let hashStart = ProcessStats.now()
        var inputJSON: [JSON] = []
        for path in inputs {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            inputJSON.append(.object([("path", .string(path)), ("bytes", size.map(JSON.int) ?? .null), ("sha256", .string(try SHA256.hex(file: path)))]))
        }
        timings.append(("hash_s", ProcessStats.now() - hashStart))
        timings.append(("total_s", ProcessStats.now() - started))
        let manifest = JSON.object([
            ("tool", .string("twinmatch")),
            ("version", .string(TwinMatchVersion.string)),
            ("command", .array(CommandLine.arguments.map(JSON.string))),
            ("output", .object([("path", .string(out)), ("format", .string(format.rawValue)), ("rows", .int(written))])),
            ("inputs", .array(inputJSON)),
            ("options", .object(manifestOptions)),
            ("rows", .object([("items", .int(rowCount)), ("dimension", .int(dimension)), ("queries", .int(table.queryCount)), ("neighbours", .int(written))])),
            ("timings", .object(timings.map { ($0.0, .number(($0.1 * 1000).rounded() / 1000)) })),
            ("peak_rss_bytes", ProcessStats.peakResidentBytes().map(JSON.int) ?? .null),
            ("blas", .string(BLASRuntime.summary)),
            ("cpu", .string(BLASRuntime.cpuModel())),
        ])
        do {
            try AtomicFile.write(Data((manifest.render() + "\n").utf8), to: out + ".manifest.json")
            try AtomicFile.commit(temporary: temp, to: out)
        } catch {
            unlink(temp)
            throw error
        }
    }

    func checkFinite(_ m: FloatMatrix, path: String) throws {
        if let (r, c) = m.firstNonFinite() {
            throw InputError(file: path, "value at row \(r), column \(c) is not finite (\(m[r, c]))")
        }
    }

    func filterJSON(_ f: CandidateFilter) -> JSON {
        .object([
            ("exclude_same_country", .bool(f.excludeSameCountry)),
            ("min_km", f.minKm.map(JSON.number) ?? .null), ("max_km", f.maxKm.map(JSON.number) ?? .null),
            ("min_population", f.minPopulation.map(JSON.number) ?? .null), ("max_population", f.maxPopulation.map(JSON.number) ?? .null),
            ("countries", .array(f.countries.sorted().map(JSON.string))),
            ("excluded_countries", .array(f.excludedCountries.sorted().map(JSON.string))),
            ("themes", .array(f.requiredThemes.map(JSON.string))),
        ])
    }
}

/// Id → row lookup for `--queries`.
struct IdLookup {
    let rowOf: [String: Int]
    let names: [String]?
    let count: Int

    init(names: [String]?, count: Int, source: String) throws {
        self.names = names
        self.count = count
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

    func row(of id: String) -> Int? {
        if names != nil { return rowOf[id] }
        guard let r = Int(id), r >= 0, r < count, String(r) == id else { return nil }
        return r
    }

    func rows(listedIn path: String) throws -> [Int] {
        let list = try readIdList(path: path)
        return try list.enumerated().map { i, id in
            guard let r = row(of: id) else { throw InputError(file: path, line: i + 1, "unknown id '\(id)'") }
            return r
        }
    }
}

/// Progress on standard error (rows done, rows/s, ETA), only when it is a terminal.
final class Progress: @unchecked Sendable {
    let total: Int
    let enabled = ProcessStats.stderrIsTerminal
    let start = ProcessStats.now()
    var last = 0.0

    init(total: Int) { self.total = total }

    var callback: SymmetricSearch.Progress {
        { [self] done in report(done) }
    }

    func report(_ done: Int) {
        guard enabled else { return }
        let now = ProcessStats.now()
        guard now - last >= 0.5 || done == total else { return }
        last = now
        // The symmetric path finishes early strips slowly (they span all columns): the ETA is pessimistic at first.
        let rate = Double(done) / max(now - start, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        FileHandle.standardError.write(Data(String(format: "\r%d / %d rows, %.0f rows/s, ETA %.0f s   ", done, total, rate, eta).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Pre-rendered ids (CSV-quoted where needed) so the writer copies bytes instead of formatting strings.
struct IdBytes {
    let numeric: Bool
    let bytes: [[UInt8]]

    init(_ idOf: (Int) -> String, count: Int, quoteForCSV: Bool) {
        // Row-number ids are written as integers directly.
        numeric = count == 0 || (idOf(0) == "0" && idOf(count - 1) == String(count - 1) && (0..<min(count, 64)).allSatisfy { idOf($0) == String($0) })
        bytes = numeric ? [] : (0..<count).map { Array((quoteForCSV ? csvField(idOf($0)) : idOf($0)).utf8) }
    }

    func append(_ row: Int, to writer: BufferedWriter) {
        if numeric { writer.integer(row) } else { writer.bytes(bytes[row]) }
    }
}

/// A file writer with a 1 MiB buffer and fast integer and fixed-point formatting.
final class BufferedWriter {
    let handle: FileHandle
    let finalPath: String
    var buffer: [UInt8] = []

    init(path: String, finalPath: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: finalPath, "cannot create the output file")
        }
        handle = h
        self.finalPath = finalPath
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    @inline(__always) func byte(_ b: UInt8) {
        buffer.append(b)
        if buffer.count >= 1 << 20 { flush() }
    }

    func bytes(_ b: [UInt8]) {
        buffer.append(contentsOf: b)
        if buffer.count >= 1 << 20 { flush() }
    }

    func append(_ s: String) { bytes(Array(s.utf8)) }

    func integer(_ value: Int) {
        var v = value.magnitude
        if value < 0 { byte(0x2D) }
        // Digits written backwards into the buffer's tail, then reversed in place: no temporary.
        let start = buffer.count
        repeat { buffer.append(UInt8(0x30 + v % 10)); v /= 10 } while v > 0
        buffer[start...].reverse()
        if buffer.count >= 1 << 20 { flush() }
    }

    /// `x` with exactly six decimals (half away from zero), e.g. `0.512300`, `-1.000000`.
    func fixed6(_ x: Double) {
        guard x.isFinite else { append(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")); return }
        let scaled = (abs(x) * 1e6).rounded()
        guard scaled < 9e17 else { append(String(format: "%.6f", x)); return }
        let v = Int(scaled)
        if x < 0 && v != 0 { byte(0x2D) }
        integer(v / 1_000_000)
        byte(0x2E)
        var frac = v % 1_000_000
        let start = buffer.count
        buffer.append(contentsOf: [0x30, 0x30, 0x30, 0x30, 0x30, 0x30] as [UInt8])
        for i in stride(from: 5, through: 0, by: -1) { buffer[start + i] = UInt8(0x30 + frac % 10); frac /= 10 }
        if buffer.count >= 1 << 20 { flush() }
    }

    /// The first write error; reported by `close`.
    var failure: Error?

    func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil {
            do { try handle.write(contentsOf: buffer) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try? handle.close()
        if let failure { throw InputError(file: finalPath, "cannot write the output: \(failure.localizedDescription)") }
    }
}
