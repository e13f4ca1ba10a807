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
        row counts, the output's SHA-256, timings and the BLAS in use. Progress goes to standard error when it is a terminal.

        Sharding: --shard I/N ranks the I-th of N contiguous slices of the queries (I from 1) and writes its \
        own output and manifest (with the shard, its query range and the inputs' SHA-256s); `twinmatch \
        merge` joins the N outputs into the bytes one unsharded run writes. With --resume, a shard whose \
        output and manifest are complete and match the request is skipped.

        Example: twinmatch batch --queries ids.txt --k 100 --out top100.csv
        Example: twinmatch batch --queries ids.txt --k 100 --shard 2/8 --resume --out shards/top100.2.csv
        """)

    @Option(help: "City profiles, CSV or JSON Lines (default: the world dataset datasets/world.idx).") var profiles: String?
    @Option(help: "A binary index from `twinmatch index` (like --profiles, memory-mapped).") var index: String?
    @Option(help: "A float32 2-D .npy matrix, one row per item.") var vectors: String?
    @Option(help: "Query-side vectors for --vectors (same shape), e.g. X.queries.npy from `embed`.") var queryVectors: String?
    @Option(help: "Ids of the --vectors rows, one per line in row order.") var ids: String?
    @Option(help: "How many neighbours per row.") var k: Int
    @Option(help: "The output file (default: standard output, without a manifest).") var out: String?
    @Option(help: "Output format: csv or jsonl.") var format: BatchFormat = .csv
    @Flag(help: "CSV: write ids as they are. By default an id that starts with =, +, -, @, a tab or a carriage return and is not a number gets a leading ' so that spreadsheets do not run it as a formula.")
    var rawCsv = false
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
    @Option(help: ArgumentHelp("Rank only shard I of N contiguous slices of the queries, I from 1 (e.g. 2/8, $SLURM_ARRAY_TASK_ID/8, $((JOB_COMPLETION_INDEX+1))/8); needs --out.",
                               discussion: "`twinmatch merge` joins the shards' outputs into one."))
    var shard: String?
    @Flag(help: "With --shard: skip the shard when its output and manifest exist, are complete and match this request (inputs by SHA-256, options).")
    var resume = false
    @Option(help: "What a line of --queries that names no profile (an unknown id, a blank line) or a --profiles row that cannot be used does: fail (stop, exit 65) or skip (leave it out; the count and the first reasons go to standard error).")
    var onError: RowErrorPolicy = .fail

    func validate() throws {
        if [profiles, index, vectors].compactMap({ $0 }).count > 1 { throw ValidationError("give at most one of --profiles, --index and --vectors") }
        if k < 1 { throw ValidationError("--k must be at least 1 (got \(k))") }
        if filters.mutual { throw ValidationError("--mutual applies to recommend: it ranks the city in each candidate's own list") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if rowBlock < 1 || columnBlock < 1 { throw ValidationError("tile sizes must be at least 1") }
        if try vectors != nil && (scoring.weights != nil || filters.checkedFilter(spreadByDefault: false) != CandidateFilter.byScore || !filters.networks.isEmpty || !filters.regions.isEmpty || !filters.groups.isEmpty) {
            throw ValidationError("--weights and candidate filters apply to --profiles only")
        }
        if vectors == nil && (ids != nil || queryVectors != nil) { throw ValidationError("--ids and --query-vectors apply to --vectors only") }
        if vectors != nil && (learned.model != nil || learned.known.knownPairs != nil || learned.content || learned.known.noKnownPairs) {
            throw ValidationError("--model, --content and the known pairs apply to --profiles and --index only")
        }
        if terms && (format != .jsonl || vectors != nil) { throw ValidationError("--terms needs --format jsonl and --profiles or --index") }
        if shard != nil && out == nil { throw ValidationError("--shard needs --out: each shard writes its own output and manifest") }
        if resume && shard == nil { throw ValidationError("--resume applies with --shard") }
        do { _ = try shard.map(Shard.init(parsing:)) } catch let error as OptionError { throw ValidationError(error.message) }
    }

    func run() throws {
        let input: BatchRequest.Input
        if let vectors { input = .vectors(vectors, queryVectors: queryVectors, ids: ids) }
        else if let profiles { input = .profiles(profiles, strict: strict) }
        else { input = .index(try index ?? Shipped.defaultIndex()) }
        var request = BatchRequest(input: input, output: out, k: k)
        request.format = format == .csv ? .csv : .jsonl
        request.rawCSV = rawCsv
        request.queries = queries
        request.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        request.rowBlock = rowBlock
        request.columnBlock = columnBlock
        request.symmetric = !noSymmetric
        request.weights = try scoring.groupWeights()
        request.filter = try filters.checkedFilter(spreadByDefault: false)
        request.filter.requiredNetworks = filters.networks
        try filters.resolveAreas(&request.filter)
        request.model = learned.modelPath.map { ($0, learned.modelName) }
        request.knownPairs = vectors == nil ? learned.known.path : nil
        if profiles != nil { request.migration = try Shipped.countryMigration() }
        request.terms = terms
        request.command = CommandLine.arguments
        request.shard = try shard.map(Shard.init(parsing:))
        request.resume = resume
        request.onError = onError
        let progress = Progress()
        _ = try request.run(note: note, start: progress.start, progress: progress.callback)
        progress.finish()
    }
}

/// Progress on standard error (rows done, rows/s, ETA), only when it is a terminal.
final class Progress: Sendable {
    let enabled = ProcessStats.stderrIsTerminal
    /// The rows to do, when the search started, and when the last line was printed.
    let state = Locked((total: 0, start: 0.0, last: 0.0))

    /// The search of `total` rows starts now.
    func start(_ total: Int) { state.withLock { $0 = (total, ProcessStats.now(), 0) } }

    var callback: SymmetricSearch.Progress {
        { [self] done in report(done) }
    }

    func report(_ done: Int) {
        guard enabled else { return }
        let now = ProcessStats.now()
        let (due, total, start) = state.withLock { s -> (Bool, Int, Double) in
            guard now - s.last >= 0.5 || done == s.total else { return (false, s.total, s.start) }
            s.last = now
            return (true, s.total, s.start)
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

