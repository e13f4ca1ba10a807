import Foundation

/// NumPy `.npy` files of `float32` matrices: read by memory-mapping (no copy), written atomically.
///
/// Only what the engine exchanges with other tools is supported: format versions 1.0, 2.0 and 3.0,
/// dtype `<f4` (little-endian float32), two dimensions, C (row-major) order. Anything else is an
/// `InputError` naming the file and what is wrong, never a trap.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] // "\x93NUMPY"

    /// The header fields the reader understands.
    public struct Header: Equatable, Sendable {
        public var descr: String
        public var fortranOrder: Bool
        public var shape: [Int]
        /// Where the data starts, in bytes from the beginning of the file.
        public var dataOffset: Int
    }

    /// Maps `path` and returns its matrix; the file stays mapped as long as the matrix lives.
    public static func read(path: String) throws -> FloatMatrix {
        let file: MappedFile
        try InputFile.check(path)
        do { file = try MappedFile(path: path) } catch { throw InputError(file: path, kind: .io, "cannot read the file: \(error)") }
        let header = try parseHeader(file, path: path)
        guard header.descr == "<f4" else {
            throw InputError(file: path, field: "descr", "dtype is '\(header.descr)', expected float32 ('<f4'); convert with x.astype(np.float32)")
        }
        guard !header.fortranOrder else {
            throw InputError(file: path, field: "fortran_order", "the array is in Fortran (column-major) order; save np.ascontiguousarray(x) instead")
        }
        guard header.shape.count == 2 else {
            throw InputError(file: path, field: "shape", "the array has \(header.shape.count) dimensions, expected 2 (rows × columns)")
        }
        let rows = header.shape[0], cols = header.shape[1]
        // Checked arithmetic: a shape whose size overflows must fail here, never wrap past this test.
        guard file.contains(header.dataOffset, count: rows, cols, 4) else {
            let (values, o1) = rows.multipliedReportingOverflow(by: cols)
            let (bytes, o2) = values.multipliedReportingOverflow(by: 4)
            let size = o1 || o2 ? "more than \(Int.max)" : String(bytes)
            throw InputError(file: path, "truncated: the header promises \(rows) × \(cols) float32 values (\(size) bytes) after byte \(header.dataOffset), the file has \(file.length) bytes")
        }
        // Zero columns need no bytes, but a loop over 2⁶³ rows would never end.
        guard rows < 1 << 40 else { throw InputError(file: path, field: "shape", "\(rows) is more rows than a matrix here can have (2⁴⁰)") }
        let count = rows * cols, bytes = count * 4
        if header.dataOffset % 4 == 0, let m = file.matrix(rows: rows, cols: cols, byteOffset: header.dataOffset) { return m }
        // A header length that leaves the data misaligned (not written by NumPy): copy instead of mapping.
        guard let values = file.floats(at: header.dataOffset, count: count) else {
            throw InputError(file: path, "truncated: cannot read \(bytes) bytes after byte \(header.dataOffset)")
        }
        return FloatMatrix(rows: rows, cols: cols, values: values)
    }

    /// Reads and checks the magic, version and header dictionary.
    public static func parseHeader(_ file: MappedFile, path: String) throws -> Header {
        guard let head = file.bytes(at: 0, count: 8), Array(head[0..<6]) == magic else {
            throw InputError(file: path, "not a NumPy .npy file (bad magic; expected \\x93NUMPY)")
        }
        let major = head[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            guard let n = file.load(UInt16.self, at: 8) else { throw InputError(file: path, "truncated .npy header") }
            headerLength = Int(n); headerStart = 10
        case 2, 3:
            guard let n = file.load(UInt32.self, at: 8) else { throw InputError(file: path, "truncated .npy header") }
            headerLength = Int(n); headerStart = 12
        default:
            throw InputError(file: path, "unsupported .npy format version \(major).\(head[7]) (1, 2 and 3 are supported)")
        }
        guard let raw = file.bytes(at: headerStart, count: headerLength) else {
            throw InputError(file: path, "truncated .npy header: it announces \(headerLength) bytes, the file has \(file.length)")
        }
        guard let text = String(bytes: raw, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw InputError(file: path, "the .npy header is not text")
        }
        var header = try parseDictionary(text, path: path)
        header.dataOffset = headerStart + headerLength
        return header
    }

    /// Parses the Python literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    static func parseDictionary(_ text: String, path: String) throws -> Header {
        func fail(_ why: String) -> InputError { InputError(file: path, "malformed .npy header (\(why)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))") }
        func value(of key: String) throws -> Substring {
            guard let k = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\"") else { throw fail("no '\(key)'") }
            var rest = text[k.upperBound...].drop(while: { $0 == " " })
            guard rest.first == ":" else { throw fail("no ':' after '\(key)'") }
            rest = rest.dropFirst().drop(while: { $0 == " " })
            return rest
        }
        var descrText = try value(of: "descr")
        guard let quote = descrText.first, quote == "'" || quote == "\"" else { throw fail("descr is not a string") }
        descrText = descrText.dropFirst()
        guard let end = descrText.firstIndex(of: quote) else { throw fail("unterminated descr") }
        let descr = String(descrText[..<end])

        let fortranText = try value(of: "fortran_order")
        let fortran: Bool
        if fortranText.hasPrefix("False") { fortran = false } else if fortranText.hasPrefix("True") { fortran = true } else { throw fail("fortran_order is not True or False") }

        let shapeText = try value(of: "shape")
        guard shapeText.first == "(", let close = shapeText.firstIndex(of: ")") else { throw fail("shape is not a tuple") }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<close]
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else { throw fail("shape entry '\(t)' is not a non-negative integer") }
            shape.append(n)
        }
        return Header(descr: descr, fortranOrder: fortran, shape: shape, dataOffset: 0)
    }

    /// The header bytes (version 1.0, or 2.0 when it does not fit) for a `rows × cols` float32 matrix,
    /// padded so the data starts on a 64-byte boundary.
    public static func headerBytes(rows: Int, cols: Int) -> [UInt8] {
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(cols)), }"
        for (major, prefix) in [(UInt8(1), 10), (UInt8(2), 12)] {
            var total = prefix + dict.utf8.count + 1
            total = (total + 63) / 64 * 64
            let length = total - prefix
            if major == 1 && length > Int(UInt16.max) { continue }
            var out = magic + [major, 0]
            out += (0..<(major == 1 ? 2 : 4)).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
            out += Array(dict.utf8)
            out += [UInt8](repeating: 0x20, count: total - out.count - 1) + [0x0A]
            return out
        }
        preconditionFailure("unreachable: a version 2 header always fits")
    }

    /// The complete `.npy` bytes of `matrix`.
    public static func encode(_ matrix: FloatMatrix) -> Data {
        var data = Data(headerBytes(rows: matrix.rows, cols: matrix.cols))
        data.append(matrix.rowsData(0..<matrix.rows))
        return data
    }

    /// Writes `matrix` to `path` as a float32 `.npy`; the file appears only when complete.
    public static func write(_ matrix: FloatMatrix, to path: String) throws {
        try AtomicFile.write(encode(matrix), to: path)
    }
}
