import Crypto
import Foundation

/// Joins the outputs of `batch --shard i/n` into the output one unsharded run writes, with its manifest
/// (`twinmatch merge`). The shards' manifests must agree (version, format, inputs by SHA-256, options,
/// shard count and query total), every shard must be present once, and each output must still have the
/// SHA-256 its manifest records; the outputs are then concatenated in shard order (a CSV header once).
public enum ShardMerge {
    /// The CSV header every CSV shard starts with.
    static let csvHeader = Array("query_id,rank,candidate_id,score\n".utf8)

    /// The shard manifests `paths` name: an output (its manifest beside it), a manifest, or a folder (every
    /// shard manifest in it; other manifests, such as a merged one, are passed over).
    public static func manifests(_ paths: [String]) throws -> [ManifestRecord] {
        var found: [ManifestRecord] = []
        for path in paths {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                found += try folderManifests(path)
                continue
            }
            let file = path.hasSuffix(ManifestRecord.suffix) ? path : path + ManifestRecord.suffix
            if !FileManager.default.fileExists(atPath: file), FileManager.default.fileExists(atPath: path) {
                throw InputError(file: file, kind: .noInput, "no manifest beside \(path): is it a shard's output (batch --shard I/N --out FILE)?")
            }
            let record = try ManifestRecord(path: file)
            guard record.shard != nil else { throw InputError(file: file, field: "shard", "not a shard's manifest: it has no 'shard' field (written without --shard)") }
            found.append(record)
        }
        return found
    }

    /// The shard manifests in `folder`, by name.
    static func folderManifests(_ folder: String) throws -> [ManifestRecord] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw InputError(file: folder, kind: .noInput, "cannot list the folder of shards")
        }
        let records = try names.filter { $0.hasSuffix(ManifestRecord.suffix) && !$0.hasPrefix(".") }.sorted().map {
            try ManifestRecord(path: URL(fileURLWithPath: folder).appendingPathComponent($0).path)
        }
        let shards = records.filter { $0.shard != nil }
        guard !shards.isEmpty else { throw InputError(file: folder, kind: .noInput, "no shard manifest (FILE.manifest.json written by batch --shard) in the folder") }
        return shards
    }

    /// `shards` in shard order, checked: they agree with the first one, no shard appears twice (`.data`
    /// errors naming the file and field) and none is missing (`.noInput`).
    public static func ordered(_ shards: [ManifestRecord]) throws -> [ManifestRecord] {
        guard let first = shards.min(by: { ($0.shard?.shard.index ?? 0) < ($1.shard?.shard.index ?? 0) }), let reference = first.shard else {
            throw InputError(file: "merge", kind: .noInput, "no shard to merge")
        }
        var byIndex: [Int: ManifestRecord] = [:]
        for record in shards {
            guard let shard = record.shard else { continue }
            if let d = first.identity.difference(from: record.identity) {
                throw InputError(file: record.file, field: d.field, "differs from \(first.file) (\(d.theirs) against \(d.mine)): the shards are not of one run")
            }
            if shard.shard.count != reference.shard.count {
                throw InputError(file: record.file, field: "shard.count", "\(shard.shard.count) shards against \(reference.shard.count) in \(first.file): the shards are not of one run")
            }
            if shard.totalQueries != reference.totalQueries {
                throw InputError(file: record.file, field: "shard.queries.total", "\(shard.totalQueries) queries against \(reference.totalQueries) in \(first.file): the shards are not of one run")
            }
            if let other = byIndex[shard.shard.index] {
                throw InputError(file: record.file, field: "shard.index", "shard \(shard.shard.description) is given twice: also \(other.file)")
            }
            byIndex[shard.shard.index] = record
        }
        let missing = (1...reference.shard.count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw InputError(file: first.file, field: "shard", kind: .noInput,
                             "\(missing.count) of \(reference.shard.count) shards missing: shard\(missing.count == 1 ? "" : "s") \(list)")
        }
        return (1...reference.shard.count).compactMap { byIndex[$0] }
    }

    /// Merges the shards `paths` name into `output` and its manifest, both appearing only when complete;
    /// `command` is recorded in the merged manifest (`merged_from`). Returns the merged manifest's path.
    @discardableResult
    public static func merge(_ paths: [String], into output: String, command: [String]) throws -> String {
        let shards = try ordered(try manifests(paths))
        let outputURL = URL(fileURLWithPath: output).standardizedFileURL
        if let clash = shards.first(where: { URL(fileURLWithPath: $0.output).standardizedFileURL == outputURL }) {
            throw OptionError("--out", "\(output) is the output of shard \(clash.shard?.shard.description ?? "?"): give another file")
        }
        let temp = AtomicFile.temporaryPath(for: output)
        do {
            let sha256 = try concatenate(shards, to: temp, finalPath: output)
            let text = mergedManifest(shards, output: output, sha256: sha256, command: command).render() + "\n"
            try RunManifest(command: [], output: output, format: shards[0].identity.format).commit(text, temporary: temp)
        } catch {
            unlink(temp)
            throw error
        }
        return output + ManifestRecord.suffix
    }

    /// Copies the shards' outputs in order to `path` (a CSV header once), checking each against the SHA-256
    /// its manifest records; returns the SHA-256 of what was written.
    static func concatenate(_ shards: [ManifestRecord], to path: String, finalPath: String) throws -> String {
        let writer = try BufferedWriter(path: path, finalPath: finalPath)
        var merged = SHA256()
        let csv = shards[0].identity.format == NeighbourWriter.Format.csv.rawValue
        for (i, shard) in shards.enumerated() {
            try InputFile.check(shard.output, what: "the shard's output")
            guard let handle = FileHandle(forReadingAtPath: shard.output) else { throw InputError.unreadable(shard.output, errno: errno) }
            defer { try? handle.close() }
            var hash = SHA256()
            var atStart = true
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hash.update(data: chunk)
                var bytes = [UInt8](chunk)
                if atStart && csv {
                    guard bytes.starts(with: csvHeader) else {
                        throw InputError(file: shard.output, line: 1, "expected the header query_id,rank,candidate_id,score")
                    }
                    if i > 0 { bytes.removeFirst(csvHeader.count) }
                }
                atStart = false
                merged.update(data: bytes)
                writer.bytes(bytes)
            }
            let actual = Checksum.hex(hash.finalize())
            guard actual == shard.outputSHA256 else {
                throw InputError(file: shard.output, field: "output.sha256",
                                 "the file's SHA-256 is \(actual) but \(shard.file) records \(shard.outputSHA256): it changed or was cut short after the shard wrote it")
            }
        }
        try writer.close()
        return Checksum.hex(merged.finalize())
    }

    /// The manifest one unsharded run writes, from the shards': the first shard's inputs and options (the
    /// thread count when all shards agree on it), the output's rows and SHA-256 and the query and neighbour
    /// counts summed, the command without `--shard`, `--resume` and with `--out` as `output`; timings summed
    /// (the work, not the wall time), the largest peak memory, the BLAS and CPU when all agree; and
    /// `merged_from`: each shard's output with its SHA-256, and the merge command.
    static func mergedManifest(_ shards: [ManifestRecord], output: String, sha256: String, command: [String]) -> JSON {
        let first = shards[0].document
        func ints(_ path: [String]) -> Int {
            shards.reduce(0) { sum, s in sum + (path.reduce(Optional(s.document)) { $0?[$1] }?.intValue ?? 0) }
        }
        var options = first["options"] ?? .object([])
        if options["threads"] != nil { options = options.setting("threads", agreed(shards.map { $0.document["options"]?["threads"] ?? .null })) }
        let rows = first["rows"]
        var timings: [(String, Double)] = []
        for s in shards {
            guard case .object(let pairs)? = s.document["timings"] else { continue }
            for (key, value) in pairs {
                if let i = timings.firstIndex(where: { $0.0 == key }) { timings[i].1 += value.doubleValue ?? 0 } else { timings.append((key, value.doubleValue ?? 0)) }
            }
        }
        let peaks = shards.compactMap { $0.document["peak_rss_bytes"]?.intValue }
        let from: JSON = .object([
            ("command", .array(command.map(JSON.string))),
            ("shards", .array(shards.map { .object([("path", .string($0.output)), ("sha256", .string($0.outputSHA256))]) })),
        ])
        return RunManifest.document(
            version: shards[0].identity.version, command: unshardedCommand(first["command"]?.arrayValue?.compactMap(\.stringValue) ?? [], output: output),
            output: RunManifest.outputJSON(path: output, format: shards[0].identity.format, rows: ints(["output", "rows"]), sha256: sha256),
            inputs: first["inputs"]?.arrayValue ?? [], options: options, shard: nil,
            rows: RunManifest.rowsJSON(items: rows?["items"]?.intValue ?? 0, dimension: rows?["dimension"]?.intValue ?? 0,
                                       queries: ints(["rows", "queries"]), neighbours: ints(["rows", "neighbours"])),
            timings: timings, peakRSS: peaks.max().map(JSON.int) ?? .null,
            blas: agreed(shards.map { $0.document["blas"] ?? .null }), cpu: agreed(shards.map { $0.document["cpu"] ?? .null }),
            extra: [("merged_from", from)])
    }

    /// The value all of `values` share, else all of them in shard order.
    static func agreed(_ values: [JSON]) -> JSON {
        guard let first = values.first else { return .null }
        return values.allSatisfy({ $0.compact == first.compact }) ? first : .array(values)
    }

    /// A shard's command line as the unsharded run's: without `--shard` and `--resume`, `--out` as `output`.
    static func unshardedCommand(_ command: [String], output: String) -> [String] {
        var out: [String] = []
        var i = 0
        while i < command.count {
            let arg = command[i]
            i += 1
            switch arg {
            case "--shard": i += 1
            case "--resume": break
            case "--out": out += [arg, output]; i += 1
            default:
                if arg.hasPrefix("--shard=") { continue }
                out.append(arg.hasPrefix("--out=") ? "--out=\(output)" : arg)
            }
        }
        return out
    }
}
