import Foundation

/// One of `count` contiguous slices of a batch's queries (`batch --shard index/count`, `index` from 1).
/// Shard i of n takes the positions `total·(i−1)/n ..< total·i/n` of the query list in its given order:
/// the slices differ in size by at most one, shards past the number of queries are empty, and the shards'
/// outputs concatenated in index order are the unsharded output.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// The most shards a batch splits into, and the most queries a manifest may say it has: their product
    /// stays far inside `Int`, so `range(of:)` cannot overflow on a manifest's numbers.
    public static let maxCount = 1 << 20
    public static let maxTotal = 1 << 40

    /// Shard `index` of `count`: 1 ≤ index ≤ count (an `OptionError` of `--shard` otherwise).
    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw OptionError("--shard", "the shard count must be at least 1 (got \(count))") }
        guard index >= 1 else {
            throw OptionError("--shard", "shards are numbered from 1 (got \(index)/\(count)); from a 0-based index such as JOB_COMPLETION_INDEX give $((JOB_COMPLETION_INDEX+1))/\(count)")
        }
        guard index <= count else { throw OptionError("--shard", "shard \(index) of \(count) does not exist: the index is at most the count") }
        guard count <= Self.maxCount else { throw OptionError("--shard", "at most \(Self.maxCount) shards (got \(count))") }
        self.index = index
        self.count = count
    }

    /// Reads `I/N`, as `--shard 3/8`, `--shard $SLURM_ARRAY_TASK_ID/8` or
    /// `--shard $((JOB_COMPLETION_INDEX+1))/8` give it (spaces around the numbers are allowed).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { trimSpaces(String($0)) }
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw OptionError("--shard", "'\(text)' is not I/N (shard I of N, from 1, e.g. 2/8)")
        }
        try self.init(index: i, count: n)
    }

    /// The positions of a list of `total` queries this shard ranks.
    public func range(of total: Int) -> Range<Int> {
        // total·i fits in Int: total is at most maxTotal (rows held in memory, or checked when read), i at most maxCount.
        total * (index - 1) / count ..< total * index / count
    }

    public var description: String { "\(index)/\(count)" }
}

/// What a shard's manifest records beside the batch manifest: which shard, and which queries of how many.
public struct ShardRecord: Sendable, Equatable {
    public let shard: Shard
    /// The positions of the shard's queries in the whole query list (0-based, end excluded).
    public let queries: Range<Int>
    /// How many queries the whole list has.
    public let totalQueries: Int

    public init(shard: Shard, totalQueries: Int) {
        self.shard = shard
        self.queries = shard.range(of: totalQueries)
        self.totalQueries = totalQueries
    }

    /// The manifest's `shard` object.
    public var json: JSON {
        .object([("index", .int(shard.index)), ("count", .int(shard.count)),
                 ("queries", .object([("start", .int(queries.lowerBound)), ("end", .int(queries.upperBound)), ("total", .int(totalQueries))]))])
    }

    /// The record of a manifest's `shard` object (`file` is named in errors), checked: the range is the
    /// one shard `index` of `count` has.
    public init(json: JSON, file: String) throws {
        func number(_ value: JSON?, _ field: String) throws -> Int {
            guard let n = value?.intValue else { throw InputError(file: file, field: field, "expected a whole number") }
            return n
        }
        let shard: Shard
        do { shard = try Shard(index: try number(json["index"], "shard.index"), count: try number(json["count"], "shard.count")) } catch let error as OptionError {
            throw InputError(file: file, field: "shard", error.message)
        }
        let q = json["queries"]
        let start = try number(q?["start"], "shard.queries.start"), end = try number(q?["end"], "shard.queries.end")
        let total = try number(q?["total"], "shard.queries.total")
        guard total <= Shard.maxTotal else { throw InputError(file: file, field: "shard.queries.total", "\(total) queries is more than any batch holds (at most \(Shard.maxTotal))") }
        self.init(shard: shard, totalQueries: max(total, 0))
        guard total >= 0, queries == start..<max(start, end) else {
            throw InputError(file: file, field: "shard.queries", "queries \(start)..<\(end) of \(total) are not those of shard \(shard.description) (\(queries.lowerBound)..<\(queries.upperBound))")
        }
    }
}
