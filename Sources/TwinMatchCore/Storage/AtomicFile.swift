import Foundation

/// Writes files so that they appear only when complete: to a temporary file beside the target, then rename.
public enum AtomicFile {
    /// Writes `data` to `path`: an output that cannot be created is a `.cannotCreate` error, a write that
    /// fails part-way (a full disk) an `.io` error; either way no partial file is left.
    public static func write(_ data: Data, to path: String) throws {
        try commit(temporary: try writeTemporary(data, for: path), to: path)
    }

    /// Writes `data` to a temporary file beside `path` (`temporaryPath`) and returns it, for `commit`;
    /// on failure nothing is left.
    static func writeTemporary(_ data: Data, for path: String) throws -> String {
        let temp = temporaryPath(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            let code = errno
            forget(temp)
            throw InputError.uncreatable(path, errno: code)
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = Foundation.write(fd, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temp)
            forget(temp)
            throw InputError(file: path, kind: .io, "cannot write the output: \(String(cString: strerror(failure)))")
        }
        return temp
    }

    /// Deletes a temporary file that will not be committed.
    public static func discard(temporary: String) {
        unlink(temporary)
        forget(temporary)
    }

    static func forget(_ temporary: String) { unfinished.withLock { _ = $0.remove(temporary) } }

    /// A temporary path beside `path` for streaming writers; `commit` renames it into place. The path is
    /// remembered until then, so that `removeUnfinished` can delete it when the process is interrupted.
    /// It names the host and the process, so that two machines writing to one shared folder (containers,
    /// whose processes often have the same PID) never write the same temporary file.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(hostTag)-\(getpid())").path
        unfinished.withLock { _ = $0.insert(temp) }
        return temp
    }

    /// The host's name as a file name takes it: letters, digits, `-` and `.` (others as `_`), at most 64.
    static let hostTag: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let safe = String(name.unicodeScalars.prefix(64).map { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "." ? Character($0) : "_" })
        return safe.isEmpty ? "host" : safe
    }()

    /// The temporary files handed out and not yet committed.
    static let unfinished = Locked(Set<String>())

    /// Deletes every temporary file not yet committed (on SIGINT or SIGTERM, before exiting).
    public static func removeUnfinished() {
        unfinished.withLock { paths in
            for p in paths { unlink(p) }
            paths.removeAll()
        }
    }

    public static func commit(temporary: String, to path: String) throws {
        defer { forget(temporary) }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw InputError(file: path, kind: code == EISDIR ? .cannotCreate : .io,
                             "cannot move the finished output into place: \(code == EISDIR ? "a directory is in the way" : String(cString: strerror(code)))")
        }
    }
}

/// Several outputs that appear together or not at all (`embed`'s two matrices, `split-pairs`' two files):
/// each is written to a temporary file beside its target, and `commit` renames them all into place once
/// every one is written. On failure, or when the process is interrupted first, none is left behind.
public final class AtomicFileSet {
    /// Written and not yet renamed: the temporary file and its target, in the order given.
    private var staged: [(temporary: String, path: String)] = []

    public init() {}

    /// Writes `data` for `path`; on failure every file staged so far is discarded too.
    public func write(_ data: Data, to path: String) throws {
        do { staged.append((try AtomicFile.writeTemporary(data, for: path), path)) } catch {
            discard()
            throw error
        }
    }

    /// Renames every staged file into place. When one cannot be moved, the outputs already moved are
    /// removed and the rest discarded, so that no part of the set is left.
    public func commit() throws {
        var moved: [String] = []
        defer { staged.removeAll() }
        for (i, file) in staged.enumerated() {
            do { try AtomicFile.commit(temporary: file.temporary, to: file.path) } catch {
                for path in moved { unlink(path) }
                for rest in staged[(i + 1)...] { AtomicFile.discard(temporary: rest.temporary) }
                throw error
            }
            moved.append(file.path)
        }
    }

    /// Deletes the staged files.
    public func discard() {
        for file in staged { AtomicFile.discard(temporary: file.temporary) }
        staged.removeAll()
    }

    deinit { discard() }
}
