import Foundation

/// Writes files so that they appear only when complete: to a temporary file beside the target, then rename.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let temp = temporaryPath(for: path)
        do {
            try data.write(to: URL(fileURLWithPath: temp))
        } catch {
            unlink(temp)
            throw InputError(file: path, "cannot write the output: \(error.localizedDescription)")
        }
        try commit(temporary: temp, to: path)
    }

    /// A temporary path beside `path` for streaming writers; `commit` renames it into place.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    }

    public static func commit(temporary: String, to path: String) throws {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError(file: path, "cannot move the finished output into place: \(reason)")
        }
    }
}
