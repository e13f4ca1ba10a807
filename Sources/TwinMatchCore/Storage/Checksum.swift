import Crypto
import Foundation

/// Fingerprints of input files, for run manifests.
public enum Checksum {
    /// The lowercase hex SHA-256 of the file at `path`, read in 1 MiB chunks.
    public static func sha256(file path: String) throws -> String {
        try InputFile.check(path, what: "the file to fingerprint it")
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, kind: .noInput, "cannot read the file to fingerprint it") }
        defer { try? handle.close() }
        var hash = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            hash.update(data: chunk)
        }
        return hex(hash.finalize())
    }

    /// The lowercase hex SHA-256 of `bytes`.
    public static func sha256<D: DataProtocol>(_ bytes: D) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The checksum of `file` without the bytes in `skipping` (where a file keeps its own checksum): the XXH64
    /// of the XXH64s of its pieces, in order, as little-endian words. The pieces are the bytes before `skipping`,
    /// then consecutive `chunk`-byte pieces (1 MiB by default) of the rest, the last one shorter; they are
    /// hashed on all cores, so a large file is checked at memory speed.
    public static func tree(of file: MappedFile, skipping: Range<Int> = 0..<0, chunk: Int = 1 << 20) -> UInt64 {
        precondition(chunk > 0)
        let skip = skipping.clamped(to: 0..<file.length)
        var pieces = [0..<skip.lowerBound]
        pieces += stride(from: skip.upperBound, to: file.length, by: chunk).map { $0..<min(file.length, $0 + chunk) }
        var words = Data(capacity: 8 * pieces.count)
        for d in file.digests(of: pieces) { words.appendLittleEndian(d) }
        return XXH64.hash([UInt8](words))
    }

    /// A digest in lowercase hex.
    public static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
