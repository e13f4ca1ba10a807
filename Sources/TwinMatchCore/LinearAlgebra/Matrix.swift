import Foundation

/// A dense row-major matrix of `Float`, `rows × cols`.
///
/// The values live either in a Swift array or in a read-only memory-mapped file (an index or a `.npy`),
/// so a world-sized matrix can be used without copying it into memory first.
public struct FloatMatrix: @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    enum Storage {
        case owned([Float])
        case mapped(MappedFile, byteOffset: Int)
    }
    let storage: Storage

    /// A matrix over `values` (row-major, `rows × cols`).
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(rows >= 0 && cols >= 0 && values.count == rows * cols, "matrix shape does not match its values")
        self.rows = rows
        self.cols = cols
        self.storage = .owned(values)
    }

    /// A zero matrix.
    public init(rows: Int, cols: Int) {
        self.init(rows: rows, cols: cols, values: [Float](repeating: 0, count: rows * cols))
    }

    init(rows: Int, cols: Int, mapped: MappedFile, byteOffset: Int) {
        precondition(mapped.contains(byteOffset, count: rows, cols, MemoryLayout<Float>.size), "matrix lies outside the mapped file")
        self.rows = rows
        self.cols = cols
        self.storage = .mapped(mapped, byteOffset: byteOffset)
    }

    /// A matrix whose row `r` is `makeRow(r)` (each of length `cols`), built on all cores.
    public static func build(rows: Int, cols: Int, _ makeRow: @Sendable (Int) -> [Float]) -> FloatMatrix {
        var values = [Float](repeating: 0, count: rows * cols)
        let parts = max(1, min(64, rows / 1024))
        values.withUnsafeMutableBufferPointer { buffer in
            // Each row is written by one worker only.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for r in (rows * part / parts)..<(rows * (part + 1) / parts) {
                    let v = makeRow(r)
                    precondition(v.count == cols, "row \(r) has \(v.count) values, expected \(cols)")
                    for c in 0..<cols { out[r * cols + c] = v[c] }
                }
            }
        }
        return FloatMatrix(rows: rows, cols: cols, values: values)
    }

    /// Calls `body` with a pointer to the first value. Only the linear-algebra layer uses it.
    func withBaseAddress<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        switch storage {
        case .owned(let values):
            return try values.withUnsafeBufferPointer { buffer in
                // An empty array may have no base address; hand out a valid dummy pointer instead.
                if let base = buffer.baseAddress { return try body(base) }
                var dummy: Float = 0
                return try withUnsafePointer(to: &dummy) { try body($0) }
            }
        case .mapped(let file, let offset):
            return try body(file.base.advanced(by: offset).assumingMemoryBound(to: Float.self))
        }
    }

    public subscript(row: Int, col: Int) -> Float {
        precondition(row >= 0 && row < rows && col >= 0 && col < cols, "matrix index out of range")
        switch storage {
        case .owned(let values): return values[row * cols + col]
        case .mapped(let file, let offset):
            return file.base.advanced(by: offset).assumingMemoryBound(to: Float.self)[row * cols + col]
        }
    }

    /// One row as an array.
    public func row(_ r: Int) -> [Float] {
        precondition(r >= 0 && r < rows, "matrix row out of range")
        return withBaseAddress { base in Array(UnsafeBufferPointer(start: base + r * cols, count: cols)) }
    }

    /// All values, row-major, as an array (copies a mapped matrix).
    public var values: [Float] {
        switch storage {
        case .owned(let values): return values
        case .mapped: return withBaseAddress { Array(UnsafeBufferPointer(start: $0, count: rows * cols)) }
        }
    }

    /// The raw little-endian bytes of rows `range`.
    public func rowsData(_ range: Range<Int>) -> Data {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows)
        return withBaseAddress { base in
            Data(bytes: base + range.lowerBound * cols, count: range.count * cols * MemoryLayout<Float>.size)
        }
    }

    /// The position of the first NaN or infinite value, or nil when all are finite.
    public func firstNonFinite() -> (row: Int, col: Int)? { firstBeyond(.greatestFiniteMagnitude) }

    /// The position of the first value whose magnitude exceeds `limit` (an infinity does) or that is NaN, or
    /// nil when there is none.
    ///
    /// - Complexity: one pass over the values, split over all cores for large matrices, in blocks of 4096
    ///   whose largest magnitude is taken on the bit patterns without a branch (the compiler vectorises it:
    ///   a non-negative float orders as its bits, and a NaN's bits exceed an infinity's); only a block whose
    ///   largest exceeds `limit` is searched value by value.
    public func firstBeyond(_ limit: Float) -> (row: Int, col: Int)? {
        let count = rows * cols
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count >> 20))
        let found = Locked([Int]())
        let limitBits = abs(limit).bitPattern
        withBaseAddress { base in
            nonisolated(unsafe) let values = base
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let bits = UnsafeRawPointer(values).assumingMemoryBound(to: UInt32.self)
                var start = count * part / parts
                let stop = count * (part + 1) / parts
                while start < stop {
                    let end = min(stop, start + 4096)
                    var largest: UInt32 = 0
                    for i in start..<end { largest = max(largest, bits[i] & 0x7FFF_FFFF) }
                    if largest > limitBits, let i = (start..<end).first(where: { bits[$0] & 0x7FFF_FFFF > limitBits }) {
                        found.withLock { $0.append(i) }
                        return
                    }
                    start = end
                }
            }
        }
        return found.withLock { $0.min() }.map { ($0 / cols, $0 % cols) }
    }

    /// The rows listed in `indices`, in that order, as a new matrix.
    public func gatherRows(_ indices: [Int]) -> FloatMatrix {
        var out = [Float](repeating: 0, count: indices.count * cols)
        withBaseAddress { base in
            for (i, r) in indices.enumerated() {
                precondition(r >= 0 && r < rows, "matrix row out of range")
                for c in 0..<cols { out[i * cols + c] = base[r * cols + c] }
            }
        }
        return FloatMatrix(rows: indices.count, cols: cols, values: out)
    }

    /// Inner product of row `a` of `self` and row `b` of `other` over columns `range`, in `Double`.
    public func dot(row a: Int, _ other: FloatMatrix, row b: Int, columns range: Range<Int>) -> Double {
        precondition(cols == other.cols && range.lowerBound >= 0 && range.upperBound <= cols)
        return withBaseAddress { pa in
            other.withBaseAddress { pb in
                var s = 0.0
                let ra = pa + a * cols, rb = pb + b * other.cols
                for c in range { s += Double(ra[c]) * Double(rb[c]) }
                return s
            }
        }
    }
}

/// A read-only memory mapping of a whole file.
public final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    public let length: Int

    /// Maps `path` read-only. Throws when the file cannot be opened or mapped.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw LinearAlgebraError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LinearAlgebraError.io(path: path, reason: String(cString: strerror(errno))) }
        length = Int(st.st_size)
        if length == 0 {
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64))
            isMapped = false
            return
        }
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw LinearAlgebraError.io(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
        isMapped = true
    }
    private let isMapped: Bool

    deinit {
        if isMapped { munmap(UnsafeMutableRawPointer(mutating: base), length) } else { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }

    /// Whether `factors` items (their product, in bytes) starting at `offset` lie inside the file, computed
    /// with overflow-checked arithmetic: sizes read from a file header cannot wrap around.
    public func contains(_ offset: Int, count factors: Int...) -> Bool {
        guard offset >= 0, factors.allSatisfy({ $0 >= 0 }) else { return false }
        var bytes = 1
        for f in factors {
            let (p, overflow) = bytes.multipliedReportingOverflow(by: f)
            if overflow { return false }
            bytes = p
        }
        let (end, overflow) = offset.addingReportingOverflow(bytes)
        return !overflow && end <= length
    }

    /// `count` bytes at `offset` (bounds checked).
    public func bytes(at offset: Int, count: Int) -> [UInt8]? {
        guard contains(offset, count: count) else { return nil }
        return Array(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    /// The little-endian integer at `offset`, or nil past the end.
    public func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
        guard contains(offset, count: MemoryLayout<T>.size) else { return nil }
        return T(littleEndian: (base + offset).loadUnaligned(as: T.self))
    }

    /// `count` little-endian integers at `offset`, copied, or nil past the end.
    public func integers<T: FixedWidthInteger>(_: T.Type, at offset: Int, count: Int) -> [T]? {
        let size = MemoryLayout<T>.size
        guard contains(offset, count: count, size) else { return nil }
        return (0..<count).map { T(littleEndian: (base + offset + $0 * size).loadUnaligned(as: T.self)) }
    }

    /// `count` little-endian floats at `offset` (any alignment), copied, or nil past the end.
    public func floats(at offset: Int, count: Int) -> [Float]? {
        guard contains(offset, count: count, MemoryLayout<Float>.size) else { return nil }
        return (0..<count).map { Float(bitPattern: UInt32(littleEndian: (base + offset + 4 * $0).loadUnaligned(as: UInt32.self))) }
    }

    /// The little-endian `Double` at `offset`, or nil past the end.
    public func double(at offset: Int) -> Double? {
        load(UInt64.self, at: offset).map(Double.init(bitPattern:))
    }

    /// `count` bytes at `offset` decoded as UTF-8 (invalid sequences repaired), or nil past the end.
    public func string(at offset: Int, count: Int) -> String? {
        guard contains(offset, count: count) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: base + offset, count: count), as: UTF8.self)
    }

    /// A matrix view of `rows × cols` floats at `byteOffset`, or nil when the file is too short or misaligned.
    public func matrix(rows: Int, cols: Int, byteOffset: Int) -> FloatMatrix? {
        guard byteOffset % MemoryLayout<Float>.alignment == 0, contains(byteOffset, count: rows, cols, MemoryLayout<Float>.size) else { return nil }
        return FloatMatrix(rows: rows, cols: cols, mapped: self, byteOffset: byteOffset)
    }
}

/// Errors of the linear-algebra layer.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    case lapack(routine: String, info: Int)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .lapack(let routine, let info):
            return "LAPACK \(routine) failed with info = \(info)" + (info > 0 ? " (the matrix is singular or not positive definite; add regularisation)" : " (an argument was invalid)")
        case .io(let path, let reason): return "\(path): \(reason)"
        }
    }
}
