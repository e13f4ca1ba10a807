import Foundation
import TwinMatchCore

/// What every target shares: the input written to a file (the readers take paths, as users give them), and
/// the rule an error must follow.
public enum FuzzInput {
    /// A folder of this process's own, removed when it exits.
    static let folder: String = {
        var template = Array((FileManager.default.temporaryDirectory.path + "/twinmatch-fuzz-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("cannot create a temporary folder: \(String(cString: strerror(errno)))") }
        let path = String(cString: made)
        atexit { try? FileManager.default.removeItem(atPath: FuzzInput.folder) }
        return path
    }()

    /// Writes the `size` bytes at `data` to the file `name` in the process's folder and returns its path.
    public static func write(_ data: UnsafePointer<UInt8>, _ size: Int, name: String) -> String {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
        var done = 0
        while done < size {
            let n = Foundation.write(fd, data + done, size - done)
            guard n > 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
            done += n
        }
        close(fd)
        return path
    }
}

/// Runs `body`, which reads `path`. It may succeed, or fail with an `InputError` about `path` of kind `.data`
/// (the content is wrong); any other error is a finding and stops the fuzzer, as a trap does.
public func expectDataError(_ path: String, _ body: () throws -> Void) {
    do { try body() } catch let error as InputError {
        guard error.file == path, error.kind == .data else { fatalError("an input error of kind \(error.kind) about '\(error.file)': \(error)") }
    } catch {
        fatalError("not an InputError: \(type(of: error)): \(error)")
    }
}

/// A shortlist in every form `recommend` prints it (JSON, CSV and the table), rendered and dropped: the
/// printing reads every field of the places it lists.
public func printShortlist(_ shortlist: Shortlist, of set: ProfileSet) {
    _ = (shortlist.json(set).render(), shortlist.csv(set), shortlist.table(set, verbose: true))
}

/// libFuzzer's entry point for a test function (its C signature: data, size → 0).
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ test: FuzzTest) -> Int32

/// Runs libFuzzer's driver on `test`. SwiftPM links an executable's `main` to the function `<Target>_main`,
/// which each target defines with this as its body.
public func runFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ test: FuzzTest) -> Int32 {
    var count = argc, arguments = argv
    return runDriver(&count, &arguments, test)
}
