import Foundation

/// Facts about the running process for benchmark reports and run manifests.
public enum ProcessStats {
    /// Peak resident set size in bytes (`VmHWM` in `/proc/self/status`), or nil where unavailable.
    public static func peakResidentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }

    /// Seconds on a monotonic clock.
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Whether standard error is a terminal (progress lines go there only then).
    public static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// Reads a list of ids, one per line (LF or CRLF; a final empty line is ignored; blank lines are errors).
public func readIdList(path: String) throws -> [String] {
    var strict = SkippedRows(policy: .fail)
    return try readIdList(path: path, skipping: &strict) { _, id in id }
}

/// `use(line, id)` of every id listed in `path`, in file order. A line that holds no id (blank, not
/// UTF-8, a NUL byte) or that `use` throws an `InputError` for goes to `skipped`, which throws the error
/// under `.fail` and counts it under `.skip`.
public func readIdList<T>(path: String, skipping skipped: inout SkippedRows, _ use: (Int, String) throws -> T) throws -> [T] {
    let bytes = [UInt8](try InputFile.read(path, what: "the id list"))
    // Split on bytes, not Characters: "\r\n" is one Character, so a String split on "\n" keeps CRLF lines together.
    var slices = bytes[try InputText.start(of: bytes, file: path)...].split(separator: 0x0A, omittingEmptySubsequences: false)
    if slices.last?.isEmpty == true { slices.removeLast() }
    var ids: [T] = []
    for (i, slice) in slices.enumerated() {
        let raw = slice.last == 0x0D ? slice.dropLast() : slice
        let id = try skipped.row { () throws -> T in
            guard let line = String(validating: raw, as: UTF8.self) else { throw InputError(file: path, line: i + 1, "invalid UTF-8") }
            if raw.contains(0) { throw InputError(file: path, line: i + 1, "a NUL byte in the id") }
            if trimSpaces(line).isEmpty { throw InputError(file: path, line: i + 1, "empty id") }
            return try use(i + 1, line)
        }
        if let id { ids.append(id) }
    }
    return ids
}
