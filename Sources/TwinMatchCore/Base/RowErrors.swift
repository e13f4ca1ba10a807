import Foundation

/// What a command does with an input row it cannot use (`--on-error`): an unknown or blank id in an id
/// list, a malformed profile row.
public enum RowErrorPolicy: String, Sendable, CaseIterable {
    /// Stop with the row's error (file, line, field): exit 65.
    case fail
    /// Leave the row out, count it, and carry on; the count and the first reasons go to standard error.
    case skip
}

/// The rows an input left out under `RowErrorPolicy.skip`: how many, and the first reasons.
public struct SkippedRows: Sendable {
    public let policy: RowErrorPolicy
    public private(set) var count = 0
    /// The first `shownReasons` errors, in the order they were met.
    public private(set) var reasons: [InputError] = []
    /// How many reasons a summary lists.
    public static let shownReasons = 5

    public init(policy: RowErrorPolicy) { self.policy = policy }

    /// Under `.fail` throws `error`; under `.skip` counts it (and keeps it among the first reasons).
    public mutating func handle(_ error: InputError) throws {
        guard policy == .skip else { throw error }
        count += 1
        if reasons.count < Self.shownReasons { reasons.append(error) }
    }

    /// Runs `body` for one row: an `InputError` it throws is handled as `handle` does. Returns nil when the
    /// row was skipped.
    public mutating func row<T>(_ body: () throws -> T) throws -> T? {
        do { return try body() } catch let error as InputError where error.kind == .data {
            try handle(error)
            return nil
        }
    }

    /// What standard error hears when rows of `what` were skipped: their count and the first reasons, one
    /// a line; nil when none was.
    public func summary(of what: String) -> String? {
        guard count > 0 else { return nil }
        let shown = reasons.map { "  \($0)" }.joined(separator: "\n")
        let more = count > reasons.count ? "\n  … and \(count - reasons.count) more" : ""
        return "warning: \(what): skipped \(count) row\(count == 1 ? "" : "s") (--on-error skip); the first reasons:\n\(shown)\(more)"
    }
}
