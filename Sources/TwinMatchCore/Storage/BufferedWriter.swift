import Foundation

/// A file writer with a 1 MiB buffer and fast integer and fixed-point formatting.
public final class BufferedWriter {
    let handle: FileHandle
    let finalPath: String
    var buffer: [UInt8] = []

    /// Creates (truncates) `path`; errors name `finalPath`, the file the user asked for.
    public init(path: String, finalPath: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw InputError.uncreatable(finalPath, errno: errno)
        }
        handle = h
        self.finalPath = finalPath
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    @inline(__always) public func byte(_ b: UInt8) {
        buffer.append(b)
        if buffer.count >= 1 << 20 { flush() }
    }

    public func bytes(_ b: [UInt8]) {
        buffer.append(contentsOf: b)
        if buffer.count >= 1 << 20 { flush() }
    }

    public func append(_ s: String) { bytes(Array(s.utf8)) }

    public func integer(_ value: Int) {
        var v = value.magnitude
        if value < 0 { byte(0x2D) }
        // Digits written backwards into the buffer's tail, then reversed in place: no temporary.
        let start = buffer.count
        repeat { buffer.append(UInt8(0x30 + v % 10)); v /= 10 } while v > 0
        buffer[start...].reverse()
        if buffer.count >= 1 << 20 { flush() }
    }

    /// `x` with exactly six decimals (half away from zero), e.g. `0.512300`, `-1.000000`.
    public func fixed6(_ x: Double) {
        guard x.isFinite else { append(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")); return }
        let scaled = (abs(x) * 1e6).rounded()
        guard scaled < 9e17 else { append(String(format: "%.6f", x)); return }
        let v = Int(scaled)
        if x < 0 && v != 0 { byte(0x2D) }
        integer(v / 1_000_000)
        byte(0x2E)
        var frac = v % 1_000_000
        let start = buffer.count
        buffer.append(contentsOf: [0x30, 0x30, 0x30, 0x30, 0x30, 0x30] as [UInt8])
        for i in stride(from: 5, through: 0, by: -1) { buffer[start + i] = UInt8(0x30 + frac % 10); frac /= 10 }
        if buffer.count >= 1 << 20 { flush() }
    }

    /// The first write error; reported by `close`.
    var failure: Error?

    public func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil {
            do { try handle.write(contentsOf: buffer) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        flush()
        try? handle.close()
        if let failure { throw InputError(file: finalPath, kind: .io, "cannot write the output: \(failure.localizedDescription)") }
    }
}
