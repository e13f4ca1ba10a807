import Foundation

/// A whole batch run as `twinmatch batch` describes it: where the vectors or profiles come from, which
/// queries, k, how to score, and the output. `run` loads the input, ranks, writes the output and its
/// manifest as one step (both appear only when complete) and returns the manifest.
public struct BatchRequest: Sendable {
    public enum Input: Sendable {
        /// A float32 `.npy` matrix, optional query-side vectors of the same shape and the rows' ids.
        case vectors(String, queryVectors: String?, ids: String?)
        /// A profile file (CSV or JSON Lines), unknown themes errors with `strict`.
        case profiles(String, strict: Bool)
        /// An index from `twinmatch index`.
        case index(String)
    }

    public var input: Input
    /// The output file (with `FILE.manifest.json` beside it), or nil for standard output (no manifest).
    public var output: String?
    public var format: NeighbourWriter.Format = .csv
    /// CSV ids as they are, not made safe for spreadsheets (`csvField`).
    public var rawCSV = false
    public var k: Int
    /// A file of query ids, one per line (default: every row).
    public var queries: String?
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var rowBlock = 256
    public var columnBlock = 1024
    /// Whether the symmetric all-pairs path may be used (vectors only).
    public var symmetric = true
    // Profiles and indexes only:
    public var weights = GroupWeights()
    public var filter = CandidateFilter.byScore
    /// A model file, and the name it was asked for by (`default` for the shipped one).
    public var model: (path: String, name: String)?
    /// Known partnerships (CSV with geonameid_a,geonameid_b).
    public var knownPairs: String?
    /// Country-level migration links for a profile file's cities without links of their own.
    public var migration: CountryMigration = .none
    /// Keep every score's terms (JSON Lines).
    public var terms = false
    /// The command line, recorded in the manifest.
    public var command: [String] = []
    /// Rank only this shard of the queries (the output and its manifest say which).
    public var shard: Shard?
    /// With `shard`: when the output and its manifest are already a complete run of this request (same
    /// shard, inputs by SHA-256 and options, the output's SHA-256 as recorded), leave them and rank nothing.
    public var resume = false
    /// What an unusable line of the query list or row of a profile file does: stop the run, or be skipped
    /// and counted.
    public var onError = RowErrorPolicy.fail

    public init(input: Input, output: String?, k: Int) {
        self.input = input
        self.output = output
        self.k = k
    }

    /// Runs the batch. `note` receives what a person should hear (loading warnings, the pairs read, rows
    /// skipped, a shard resumed), `progress` the rows done (`total` is reported first through `start`).
    public func run(note: (String) -> Void = { _ in }, start: (Int) -> Void = { _ in },
                    progress: BatchJob.Progress? = nil) throws -> RunManifest {
        let started = ProcessStats.now()
        var manifest = RunManifest(command: command, output: output ?? "-", format: format.rawValue)
        manifest.options = [("k", .int(k)), ("format", .string(format.rawValue)), ("threads", .int(threads))]
        let batch: NeighbourBatch
        switch input {
        case .vectors(let vectors, let queryVectors, let ids):
            let input = try BatchVectors(vectors: vectors, queryVectors: queryVectors, ids: ids)
            manifest.inputs = [vectors] + [queryVectors, ids].compactMap { $0 }
            let queryRows = try slice(try listedRows(input.ids, into: &manifest, note: note), of: input.x.rows, into: &manifest)
            manifest.timings.append(("load_s", ProcessStats.now() - started))
            let useSymmetric = BatchJob.usesSymmetric(input, queries: queryRows, symmetric: symmetric)
            manifest.options += [("symmetric", .bool(useSymmetric)), ("row_block", .int(rowBlock)), ("column_block", .int(columnBlock))]
            if try isComplete(&manifest, note: note) { return manifest }
            let searchStart = ProcessStats.now()
            start(queryRows?.count ?? input.x.rows)
            batch = BatchJob.run(input, queries: queryRows, k: k, symmetric: symmetric,
                                 options: AllPairsOptions(rowBlock: rowBlock, columnBlock: columnBlock, threads: threads), progress: progress)
            manifest.timings.append(("search_s", ProcessStats.now() - searchStart))
        case .profiles(let path, _), .index(let path):
            manifest.inputs.append(path)
            let corpus: Corpus
            if case .profiles(_, let strict) = input {
                corpus = try Corpus.load(profiles: path, strict: strict, onError: onError, migration: migration)
                if let summary = corpus.profiles.skipped.summary(of: path) { note(summary) }
            } else {
                corpus = try Corpus.open(index: path)
            }
            let warnings = corpus.profiles.warnings
            for w in warnings.prefix(5) { note("warning: \(w)") }
            if warnings.count > 5 { note("warning: … and \(warnings.count - 5) more warnings") }
            var filter = self.filter
            filter.requiredNetworks = try CandidateFilter.networks(filter.requiredNetworks, in: corpus.memberships)
            let ids = try corpus.rowIds()
            let queryRows = try slice(try listedRows(ids, into: &manifest, note: note), of: corpus.count, into: &manifest)
            manifest.timings.append(("load_s", ProcessStats.now() - started))
            manifest.options += [("weights", .object(FeatureGroup.allCases.map { ($0.rawValue, .number(weights[$0])) })),
                                 ("filters", RunManifest.json(filter)), ("symmetric", .bool(false))]
            if let model {
                manifest.options.append(("model", .string(model.name)))
                manifest.inputs.append(model.path)
            }
            if let knownPairs { manifest.inputs.append(knownPairs); manifest.options.append(("known_pairs", .string(knownPairs))) }
            if try isComplete(&manifest, note: note) { return manifest }
            var known: [(Int, Int)] = []
            if let knownPairs {
                let read = try KnownPairs.read(path: knownPairs, rowOf: corpus.profiles.row(ofId:))
                note(read.pairs.isEmpty ? "warning: \(read.summary): none names a profile, so ranking uses no known partnerships" : read.summary)
                known = read.pairs
            }
            let fitted = try model.map { try TwinModel.load(path: $0.path) }
            // The content search uses the batch's tiles; the model's search keeps its own defaults.
            let search = fitted == nil ? SearchOptions(queryBlock: rowBlock, candidateBlock: columnBlock, threads: threads) : SearchOptions()
            let ranker = corpus.ranker(known: known, model: fitted, weights: weights, search: search)
            let searchStart = ProcessStats.now()
            start(queryRows?.count ?? corpus.count)
            batch = try BatchJob.run(ranker, queries: queryRows, k: k, filter: filter, terms: terms, ids: ids, progress: progress)
            manifest.timings.append(("search_s", ProcessStats.now() - searchStart))
        }
        try write(batch, manifest: manifest, started: started)
        return manifest
    }

    /// The rows of the `--queries` list (nil without one), which becomes an input of `manifest`; lines
    /// that name no row go by `onError`, and `note` hears what was skipped.
    func listedRows(_ ids: RowIds, into manifest: inout RunManifest, note: (String) -> Void) throws -> [Int]? {
        guard let queries else { return nil }
        manifest.inputs.append(queries)
        var skipped = SkippedRows(policy: onError)
        let rows = try ids.rows(listedIn: queries, skipping: &skipped)
        if let summary = skipped.summary(of: queries) { note(summary) }
        return rows
    }

    /// The query rows this run ranks: with `shard`, its slice of `rows` (of every one of the `count` rows
    /// when there is no list), recorded in `manifest`; else `rows` as they are.
    func slice(_ rows: [Int]?, of count: Int, into manifest: inout RunManifest) throws -> [Int]? {
        guard let shard else { return rows }
        let all = rows ?? Array(0..<count)
        let record = ShardRecord(shard: shard, totalQueries: all.count)
        manifest.shard = record
        return Array(all[record.queries])
    }

    /// With `resume`, whether the output and its manifest are already this run, complete: then `note`
    /// says so and the run stops there. The inputs are hashed once, here, for the new manifest too.
    func isComplete(_ manifest: inout RunManifest, note: (String) -> Void) throws -> Bool {
        guard resume, let output, let shard = manifest.shard else { return false }
        let manifestPath = output + ManifestRecord.suffix
        let what = "shard \(shard.shard.description)"
        guard FileManager.default.fileExists(atPath: output), FileManager.default.fileExists(atPath: manifestPath) else { return false }
        try manifest.hashInputs()
        let identity = RunIdentity(version: TwinMatchVersion.string, format: format.rawValue,
                                   inputs: (manifest.inputRecords ?? []).compactMap { $0["sha256"]?.stringValue }, options: .object(manifest.options))
        let reason: String?
        do { reason = try ManifestRecord(path: manifestPath).mismatch(identity: identity, shard: shard) } catch { reason = "\(error)" }
        if let reason {
            note("note: \(what): \(output) is not a complete run of this request (\(reason)): ranking it again")
            return false
        }
        note("note: \(what): \(output) and its manifest are complete and match this request: skipped (--resume)")
        return true
    }

    /// Writes `batch` to the output (standard output without one) and its manifest beside it, as one step.
    func write(_ batch: NeighbourBatch, manifest: RunManifest, started: Double) throws {
        // Stream the output to a temporary file; the manifest and then the output appear when all is done.
        let writeStart = ProcessStats.now()
        guard let output else {
            try NeighbourWriter.writeToStandardOutput(batch, format: format, rawCSV: rawCSV)
            return
        }
        let temp = AtomicFile.temporaryPath(for: output)
        do {
            let written = try NeighbourWriter.write(batch, format: format, rawCSV: rawCSV, to: temp, finalPath: output)
            var manifest = manifest
            manifest.timings.append(("write_s", ProcessStats.now() - writeStart))
            try manifest.commit(try manifest.render(batch, written: written, outputFile: temp, started: started), temporary: temp)
        } catch {
            unlink(temp)
            throw error
        }
    }
}
