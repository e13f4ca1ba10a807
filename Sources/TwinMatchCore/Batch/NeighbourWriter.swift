import Foundation

/// Writes a `NeighbourBatch` as CSV (`query_id,rank,candidate_id,score`, rank from 1, six decimals) or as
/// JSON Lines (one object per query: `query_id` and its `neighbors`, each with `rank`, `candidate_id`,
/// `score` and, when the batch has them, `terms`).
public enum NeighbourWriter {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
    }

    /// Streams `batch` to `path` (created or truncated; errors name `finalPath`) and returns how many
    /// neighbours were written.
    /// Writes the whole batch to a temporary file, then copies it to standard output: nothing is printed
    /// unless all of it was written.
    public static func writeToStandardOutput(_ batch: NeighbourBatch, format: Format, rawCSV: Bool = false) throws {
        let temp = AtomicFile.temporaryPath(for: FileManager.default.temporaryDirectory.appendingPathComponent("twinmatch-batch").path)
        defer { unlink(temp) }
        _ = try write(batch, format: format, rawCSV: rawCSV, to: temp, finalPath: "standard output")
        guard let input = FileHandle(forReadingAtPath: temp) else { throw InputError(file: temp, "cannot read the finished output back") }
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { FileHandle.standardOutput.write(chunk) }
    }

    /// CSV ids are made safe for spreadsheets unless `rawCSV` (`csvField`).
    public static func write(_ batch: NeighbourBatch, format: Format, rawCSV: Bool = false, to path: String, finalPath: String) throws -> Int {
        let table = batch.table
        let writer = try BufferedWriter(path: path, finalPath: finalPath)
        if format == .csv { writer.append("query_id,rank,candidate_id,score\n") }
        let ids = IdBytes(batch.ids, csv: format == .csv, raw: rawCSV)
        var written = 0
        for q in 0..<table.queryCount {
            let queryRow = batch.queryRow(q)
            let count = Int(table.counts[q])
            if format == .jsonl {
                writer.append("{\"query_id\":")
                writer.append(JSON.quote(batch.ids[queryRow]))
                writer.append(",\"neighbors\":[")
            }
            for t in 0..<count {
                let slot = q * table.k + t
                let score = batch.score(slot)
                let c = Int(table.rows[slot])
                if format == .csv {
                    ids.append(queryRow, to: writer)
                    writer.byte(0x2C)
                    writer.integer(t + 1)
                    writer.byte(0x2C)
                    ids.append(c, to: writer)
                    writer.byte(0x2C)
                    writer.fixed6(score)
                    writer.byte(0x0A)
                } else {
                    if t > 0 { writer.byte(0x2C) }
                    writer.append("{\"rank\":")
                    writer.integer(t + 1)
                    writer.append(",\"candidate_id\":")
                    writer.append(JSON.quote(batch.ids[c]))
                    writer.append(",\"score\":")
                    writer.fixed6(score)
                    if let terms = batch.terms, slot < terms.count {
                        writer.append(",\"terms\":{")
                        for (j, part) in terms[slot].enumerated() {
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
        return written
    }
}

/// Pre-rendered ids (CSV fields where `csv` says so) so the writer copies bytes instead of formatting strings.
struct IdBytes {
    let numeric: Bool
    let bytes: [[UInt8]]

    /// `csv`: CSV fields (raw or made safe for spreadsheets), else the ids as they are, for JSON Lines.
    init(_ ids: RowIds, csv: Bool, raw: Bool) {
        let count = ids.count
        // Row-number ids are written as integers directly.
        numeric = count == 0 || (ids[0] == "0" && ids[count - 1] == String(count - 1) && (0..<min(count, 64)).allSatisfy { ids[$0] == String($0) })
        bytes = numeric ? [] : (0..<count).map { Array((csv ? csvField(ids[$0], raw: raw) : ids[$0]).utf8) }
    }

    func append(_ row: Int, to writer: BufferedWriter) {
        if numeric { writer.integer(row) } else { writer.bytes(bytes[row]) }
    }
}

/// The record written beside a batch's output (`FILE.manifest.json`): tool and version, the command, the
/// output with its size in rows and its SHA-256, every input with its size and SHA-256, the options, for a
/// shard which one and its queries, row counts, timings, peak memory and the BLAS in use.
public struct RunManifest: Sendable {
    public var command: [String]
    public var output: String
    public var format: String
    public var inputs: [String] = []
    public var options: [(String, JSON)] = []
    public var timings: [(String, Double)] = []
    /// Which shard of the queries the run ranked (`batch --shard`), nil for all of them.
    public var shard: ShardRecord?
    /// The inputs' records (path, bytes, SHA-256) once `hashInputs` has read them.
    public private(set) var inputRecords: [JSON]?

    public init(command: [String], output: String, format: String) {
        self.command = command
        self.output = output
        self.format = format
    }

    /// Reads every input to fingerprint it, once: `render` then uses these records.
    public mutating func hashInputs() throws {
        if inputRecords == nil { inputRecords = try inputs.map(Self.record(ofInput:)) }
    }

    /// An input as the manifest lists it: its path, size and SHA-256.
    static func record(ofInput path: String) throws -> JSON {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return .object([("path", .string(path)), ("bytes", size.map(JSON.int) ?? .null), ("sha256", .string(try Checksum.sha256(file: path)))])
    }

    /// The manifest of `batch` with `written` neighbours, written to `outputFile` (hashed for the output's
    /// SHA-256); hashing is timed as `hash_s`, and `total_s` runs from `started` (a `ProcessStats.now()` reading).
    public func render(_ batch: NeighbourBatch, written: Int, outputFile: String, started: Double) throws -> String {
        let hashStart = ProcessStats.now()
        let inputJSON = try inputRecords ?? inputs.map(Self.record(ofInput:))
        let sha256 = try Checksum.sha256(file: outputFile)
        var timings = self.timings
        timings.append(("hash_s", ProcessStats.now() - hashStart))
        timings.append(("total_s", ProcessStats.now() - started))
        let manifest = Self.document(
            version: TwinMatchVersion.string, command: command,
            output: Self.outputJSON(path: output, format: format, rows: written, sha256: sha256), inputs: inputJSON, options: .object(options),
            shard: shard?.json,
            rows: Self.rowsJSON(items: batch.items, dimension: batch.dimension, queries: batch.table.queryCount, neighbours: written),
            timings: timings, peakRSS: ProcessStats.peakResidentBytes().map(JSON.int) ?? .null,
            blas: .string(BLASRuntime.summary), cpu: .string(BLASRuntime.cpuModel()))
        return manifest.render() + "\n"
    }

    /// A manifest's fields in the order every manifest has them; an unsharded run has no `shard`, and
    /// `extra` fields (a merge's `merged_from`) come last.
    static func document(version: String, command: [String], output: JSON, inputs: [JSON], options: JSON, shard: JSON?,
                         rows: JSON, timings: [(String, Double)], peakRSS: JSON, blas: JSON, cpu: JSON, extra: [(String, JSON)] = []) -> JSON {
        var fields: [(String, JSON)] = [
            ("tool", .string("twinmatch")),
            ("version", .string(version)),
            ("command", .array(command.map(JSON.string))),
            ("output", output),
            ("inputs", .array(inputs)),
            ("options", options),
        ]
        if let shard { fields.append(("shard", shard)) }
        fields += [
            ("rows", rows),
            ("timings", .object(timings.map { ($0.0, .number(($0.1 * 1000).rounded() / 1000)) })),
            ("peak_rss_bytes", peakRSS),
            ("blas", blas),
            ("cpu", cpu),
        ]
        return .object(fields + extra)
    }

    static func outputJSON(path: String, format: String, rows: Int, sha256: String) -> JSON {
        .object([("path", .string(path)), ("format", .string(format)), ("rows", .int(rows)), ("sha256", .string(sha256))])
    }

    static func rowsJSON(items: Int, dimension: Int, queries: Int, neighbours: Int) -> JSON {
        .object([("items", .int(items)), ("dimension", .int(dimension)), ("queries", .int(queries)), ("neighbours", .int(neighbours))])
    }

    /// The filters as the manifest records them.
    public static func json(_ f: CandidateFilter) -> JSON {
        let place: [(String, JSON)] = [
            ("exclude_same_country", .bool(f.excludeSameCountry)),
            ("min_km", f.minKm.map(JSON.number) ?? .null), ("max_km", f.maxKm.map(JSON.number) ?? .null),
            ("min_population", f.minPopulation.map(JSON.number) ?? .null), ("max_population", f.maxPopulation.map(JSON.number) ?? .null),
            ("countries", .array(f.countries.sorted().map(JSON.string))),
            ("excluded_countries", .array(f.excludedCountries.sorted().map(JSON.string))),
            ("themes", .array(f.requiredThemes.map(JSON.string))),
            ("max_nearby", f.maxNearby.map { JSON.int($0) } ?? .null), ("cluster_km", .number(CandidateFilter.clusterKm)),
        ]
        let areas: [(String, JSON)] = [
            ("networks", .array(f.requiredNetworks.map(JSON.string))),
            ("regions", .array(f.regions.sorted().map(JSON.string))),
            ("areas", f.areas.map { .array($0.sorted().map(JSON.string)) } ?? .null),
            ("only_open", .bool(f.onlyOpen)),
        ]
        let scoring: [(String, JSON)] = [
            ("seeks", .array(f.interests.seeks.map(JSON.string))), ("offers", .array(f.interests.offers.map(JSON.string))),
            ("blend", .string(f.blend.description)),
            ("max_per_country", f.shape.maxPerCountry.map { JSON.int($0) } ?? .null), ("mixed_sizes", .bool(f.shape.mixedSizes)),
            ("relevance", f.shape.relevance.map(JSON.number) ?? .null),
        ]
        return .object(place + areas + scoring)
    }

    /// Writes the output and its manifest as one step: the manifest first, then the finished output is
    /// renamed from `temporary` into place. On failure neither is left behind: the temporary file is
    /// removed, and so is the manifest when the output could not be moved into place.
    public func commit(_ text: String, temporary: String) throws {
        let manifestPath = output + ".manifest.json"
        do { try AtomicFile.write(Data(text.utf8), to: manifestPath) } catch {
            unlink(temporary)
            throw error
        }
        do { try AtomicFile.commit(temporary: temporary, to: output) } catch {
            unlink(manifestPath)
            throw error
        }
    }
}
