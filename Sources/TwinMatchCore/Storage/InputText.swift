import Foundation

/// The checks every text input passes before it is parsed: a UTF-8 byte-order mark is skipped, and a
/// UTF-16 file (a UTF-16 byte-order mark, or NUL bytes in every other byte, as spreadsheets save
/// "Unicode text") is refused with a message saying how to save it.
public enum InputText {
    /// Where the text of `bytes` starts (after a UTF-8 byte-order mark), or a `.data` error naming `file`
    /// when the bytes are UTF-16.
    public static func start(of bytes: [UInt8], file: String) throws -> Int {
        if isUTF16(bytes) { throw InputError(file: file, "the file is UTF-16: save it as UTF-8") }
        return bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// A UTF-16 byte-order mark (FF FE or FE FF), or, in the first 64 bytes, a NUL in every other byte.
    public static func isUTF16(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
        let head = bytes.prefix(64)
        guard head.count >= 4 else { return false }
        let evens = stride(from: head.startIndex, to: head.endIndex, by: 2).filter { head[$0] == 0 }.count
        let odds = stride(from: head.startIndex + 1, to: head.endIndex, by: 2).filter { head[$0] == 0 }.count
        let pairs = head.count / 2
        return evens >= pairs * 3 / 4 || odds >= pairs * 3 / 4
    }
}
