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
        var manifest = RunManifest(command: CommandLine.arguments, output: out, format: format.rawValue)
        manifest.options = [("k", .int(k)), ("format", .string(format.rawValue)), ("threads", .int(threadCount))]
        let batch: NeighbourBatch
        if let vectors {
            let input = try BatchVectors(vectors: vectors, queryVectors: queryVectors, ids: ids)
            manifest.inputs = [vectors] + [queryVectors, ids].compactMap { $0 }
            let queryRows = try queries.map { path in
                manifest.inputs.append(path)
                return try input.ids.rows(listedIn: path)
            }
            manifest.timings.append(("load_s", ProcessStats.now() - started))
            let searchStart = ProcessStats.now()
            let progress = Progress(total: queryRows?.count ?? input.x.rows)
            batch = BatchJob.run(input, queries: queryRows, k: k, symmetric: !noSymmetric,
                                 options: AllPairsOptions(rowBlock: rowBlock, columnBlock: columnBlock, threads: threadCount), progress: progress.callback)
            progress.finish()
            manifest.options += [("symmetric", .bool(batch.symmetric)), ("row_block", .int(rowBlock)), ("column_block", .int(columnBlock))]
            manifest.timings.append(("search_s", ProcessStats.now() - searchStart))
        } else {
            let path = profiles ?? index ?? ""
            manifest.inputs.append(path)
            let corpus = profiles != nil ? try Corpus.load(profiles: path, strict: strict) : try Corpus.open(index: path)
            let warnings = corpus.profiles.warnings
            for w in warnings.prefix(5) { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            if warnings.count > 5 { FileHandle.standardError.write(Data("warning: … and \(warnings.count - 5) more warnings\n".utf8)) }
            let queryRows = try queries.map { file in
                manifest.inputs.append(file)
                return try RowIds(names: (0..<corpus.count).map { corpus.profiles.profiles.id($0) }, count: corpus.count, source: path).rows(listedIn: file)
            }
            manifest.timings.append(("load_s", ProcessStats.now() - started))
            let weights = try scoring.groupWeights()
            manifest.options += [("weights", .object(FeatureGroup.allCases.map { ($0.rawValue, .number(weights[$0])) })),
                                 ("filters", RunManifest.json(filters.filter)), ("symmetric", .bool(false))]
            let search = learned.model == nil ? SearchOptions(queryBlock: rowBlock, candidateBlock: max(columnBlock, 1), threads: threadCount)
                                              : SearchOptions()
            let ranker = try learned.ranker(corpus, weights: weights, search: search)
            if let model = learned.model, let modelPath = learned.modelPath {
                manifest.options.append(("model", .string(model)))
                manifest.inputs.append(modelPath)
            }
            if let pairs = learned.known.knownPairs { manifest.inputs.append(pairs); manifest.options.append(("known_pairs", .string(pairs))) }
            let searchStart = ProcessStats.now()
            let progress = Progress(total: queryRows?.count ?? corpus.count)
            batch = try BatchJob.run(ranker, queries: queryRows, k: k, filter: filters.filter, terms: terms, progress: progress.callback)
            progress.finish()
            manifest.timings.append(("search_s", ProcessStats.now() - searchStart))
        }

        // Stream the output to a temporary file; the manifest and then the output appear when all is done.
        let writeStart = ProcessStats.now()
        let temp = AtomicFile.temporaryPath(for: out)
        let written: Int
        do {
            written = try NeighbourWriter.write(batch, format: format == .csv ? .csv : .jsonl, to: temp, finalPath: out)
        } catch {
            unlink(temp)
            throw error
        }
        manifest.timings.append(("write_s", ProcessStats.now() - writeStart))
        let text: String
        do { text = try manifest.render(batch, written: written, started: started) } catch {
            unlink(temp)
            throw error
        }
        try manifest.commit(text, temporary: temp)
    }
}

/// Progress on standard error (rows done, rows/s, ETA), only when it is a terminal.
final class Progress: Sendable {
    let total: Int
    let enabled = ProcessStats.stderrIsTerminal
    let start = ProcessStats.now()
    /// When the last line was printed.
    let last = Locked(0.0)

    init(total: Int) { self.total = total }

    var callback: SymmetricSearch.Progress {
        { [self] done in report(done) }
    }

    func report(_ done: Int) {
        guard enabled else { return }
        let now = ProcessStats.now()
        let due = last.withLock { last in
            guard now - last >= 0.5 || done == total else { return false }
            last = now
            return true
        }
        guard due else { return }
        // The symmetric path finishes early strips slowly (they span all columns): the ETA is pessimistic at first.
        let rate = Double(done) / max(now - start, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        FileHandle.standardError.write(Data(String(format: "\r%d / %d rows, %.0f rows/s, ETA %.0f s   ", done, total, rate, eta).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

