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
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError(file: path, "cannot read the id list (does it exist?)")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, "the id list is not UTF-8") }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    if lines.last == "" { lines.removeLast() }
    for (i, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces).isEmpty {
        throw InputError(file: path, line: i + 1, "empty id")
    }
    return lines
}
