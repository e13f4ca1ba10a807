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

    /// A digest in lowercase hex.
    public static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
