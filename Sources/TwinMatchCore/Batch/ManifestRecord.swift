import Foundation

/// What makes two batch runs the same computation: the tool version, the output format, the inputs by
/// SHA-256 (in their order), the options that change the output's bytes, and the shard count. The
/// thread count changes no byte and input paths may differ between machines, so neither is compared
/// (`known_pairs` and `model` name files, which are compared by SHA-256 among the inputs).
public struct RunIdentity: Sendable {
    public let version: String
    public let format: String
    public let inputs: [String]
    /// The options without those that change no byte, rendered compactly.
    public let options: String

    /// Options recorded in the manifest that change no byte of the output.
    public static let ignoredOptions: Set<String> = ["threads", "known_pairs", "model"]

    public init(version: String, format: String, inputs: [String], options: JSON) {
        self.version = version
        self.format = format
        self.inputs = inputs
        self.options = options.removing(Self.ignoredOptions).compact
    }

    /// The first field in which `other` differs from this identity, as (field, this value, other value);
    /// nil when they agree.
    public func difference(from other: RunIdentity) -> (field: String, mine: String, theirs: String)? {
        if version != other.version { return ("version", version, other.version) }
        if format != other.format { return ("output.format", format, other.format) }
        if inputs.count != other.inputs.count { return ("inputs", "\(inputs.count) inputs", "\(other.inputs.count) inputs") }
        for (i, (a, b)) in zip(inputs, other.inputs).enumerated() where a != b { return ("inputs[\(i)].sha256", a, b) }
        if options != other.options { return ("options", options, other.options) }
        return nil
    }
}

/// A batch manifest read back (`FILE.manifest.json`), for `merge` and `batch --resume`: the fields they
/// check, and the whole document to render a merged one from.
public struct ManifestRecord: Sendable {
    /// The manifest's own path.
    public let file: String
    /// The output it describes: the manifest's path without `.manifest.json` (where `batch` wrote it,
    /// whatever path the manifest records, which may be another machine's).
    public let output: String
    public let document: JSON
    public let identity: RunIdentity
    public let shard: ShardRecord?
    public let outputRows: Int
    public let outputSHA256: String

    public static let suffix = ".manifest.json"

    /// Reads the manifest at `path`: an error names the file and the field that is missing or wrong.
    public init(path: String) throws {
        try self.init(document: try JSONReader.read(path: path, what: "the manifest"), file: path)
    }

    public init(document: JSON, file: String) throws {
        func field<T>(_ name: String, _ value: T?, _ expected: String) throws -> T {
            guard let value else { throw InputError(file: file, field: name, "expected \(expected): is this a twinmatch batch manifest?") }
            return value
        }
        guard document["tool"]?.stringValue == "twinmatch" else { throw InputError(file: file, field: "tool", "not a twinmatch batch manifest") }
        let output = document["output"]
        let inputs = try field("inputs", document["inputs"]?.arrayValue, "a list of inputs")
        let hashes = try inputs.enumerated().map { i, input in try field("inputs[\(i)].sha256", input["sha256"]?.stringValue, "a SHA-256") }
        identity = RunIdentity(version: try field("version", document["version"]?.stringValue, "a version"),
                               format: try field("output.format", output?["format"]?.stringValue, "csv or jsonl"),
                               inputs: hashes, options: try field("options", document["options"], "the options"))
        outputRows = try field("output.rows", output?["rows"]?.intValue, "a row count")
        outputSHA256 = try field("output.sha256", output?["sha256"]?.stringValue, "the output's SHA-256")
        shard = try document["shard"].map { try ShardRecord(json: $0, file: file) }
        self.file = file
        self.output = file.hasSuffix(Self.suffix) ? String(file.dropLast(Self.suffix.count)) : file
        self.document = document
    }

    /// Fails unless the output beside the manifest is the one it records (its SHA-256); a missing output
    /// is a `.noInput` error.
    public func verifyOutput() throws {
        let actual = try Checksum.sha256(file: output)
        guard actual == outputSHA256 else {
            throw InputError(file: output, field: "output.sha256",
                             "the file's SHA-256 is \(actual) but \(file) records \(outputSHA256): it changed or was cut short after the run wrote it")
        }
    }

    /// Whether this manifest and its output are a complete run with `identity` and `shard`: nil when so,
    /// else why not (for a note).
    public func mismatch(identity expected: RunIdentity, shard expectedShard: ShardRecord?) -> String? {
        if shard != expectedShard {
            return "it records shard \(shard.map { "\($0.shard.description) of \($0.totalQueries) queries" } ?? "none"), this run is \(expectedShard.map { "\($0.shard.description) of \($0.totalQueries) queries" } ?? "unsharded")"
        }
        if let d = identity.difference(from: expected) { return "its \(d.field) differs (\(d.mine), this run: \(d.theirs))" }
        do { try verifyOutput() } catch { return "\(error)" }
        return nil
    }
}
