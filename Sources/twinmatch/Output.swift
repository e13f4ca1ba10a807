import Foundation
import TwinMatchCore

/// Writes command output: to standard output, or to a file that appears only when complete.
func emit(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    try AtomicFile.write(Data(text.utf8), to: path)
}
