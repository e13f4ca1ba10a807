import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class NPYTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("npy-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testRoundTrip() throws {
        for (rows, cols) in [(3, 4), (0, 5), (1, 1), (7, 0)] {
            let m = FloatMatrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { Float($0) * 0.5 - 1 })
            let p = path("m\(rows)x\(cols).npy")
            try NPY.write(m, to: p)
            let back = try NPY.read(path: p)
            XCTAssertEqual(back.rows, rows)
            XCTAssertEqual(back.cols, cols)
            XCTAssertEqual(back.values, m.values)
            let data = try Data(contentsOf: URL(fileURLWithPath: p))
            XCTAssertEqual((data.count - rows * cols * 4) % 64, 0, "data is 64-byte aligned")
        }
    }

    /// A file in the layout NumPy writes (format 1.0, 16-byte aligned header as old NumPy did).
    func testReadsHandWrittenVersions() throws {
        for major: UInt8 in [1, 2, 3] {
            let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
            let prefix = major == 1 ? 10 : 12
            var header = Array(dict.utf8)
            while (prefix + header.count + 1) % 16 != 0 { header.append(0x20) }
            header.append(0x0A)
            var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
            if major == 1 { bytes += [UInt8(header.count & 0xFF), UInt8(header.count >> 8)] } else { bytes += [UInt8(header.count & 0xFF), UInt8(header.count >> 8), 0, 0] }
            bytes += header
            for v: Float in [1, 2, 3, 4, 5, 6] { bytes += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
            let p = path("v\(major).npy")
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            let m = try NPY.read(path: p)
            XCTAssertEqual(m.rows, 2)
            XCTAssertEqual(m[1, 2], 6)
        }
    }

    func write(header dict: String, payload: Int, name: String) throws -> String {
        var header = Array(dict.utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        bytes += header + [UInt8](repeating: 0, count: payload)
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func assertInputError(_ p: String, mentions text: String, line: UInt = #line) {
        XCTAssertThrowsError(try NPY.read(path: p), line: line) { error in
            guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)", line: line) }
            XCTAssertEqual(e.file, p, line: line)
            XCTAssertTrue(e.description.contains(text), "\(e.description) does not mention '\(text)'", line: line)
        }
    }

    func testBadInputs() throws {
        assertInputError(try write(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", payload: 32, name: "f8.npy"), mentions: "float32")
        assertInputError(try write(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }", payload: 32, name: "3d.npy"), mentions: "3 dimensions")
        assertInputError(try write(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", payload: 16, name: "1d.npy"), mentions: "1 dimensions")
        assertInputError(try write(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload: 16, name: "f.npy"), mentions: "Fortran")
        assertInputError(try write(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", payload: 20, name: "short.npy"), mentions: "truncated")
        assertInputError(try write(header: "{'descr': '<f4', 'shape': (3, 2), }", payload: 24, name: "nofortran.npy"), mentions: "fortran_order")
        let bad = path("bad.npy")
        try Data("hello, not numpy".utf8).write(to: URL(fileURLWithPath: bad))
        assertInputError(bad, mentions: "bad magic")
        let tiny = path("tiny.npy")
        try Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 200, 0]).write(to: URL(fileURLWithPath: tiny))
        assertInputError(tiny, mentions: "truncated")
        let empty = path("empty.npy")
        try Data().write(to: URL(fileURLWithPath: empty))
        assertInputError(empty, mentions: "bad magic")
        assertInputError(path("missing.npy"), mentions: "cannot read")
    }

    /// Shapes whose size overflows (rows × cols × 4 past Int.max) or far exceeds the file give a clear
    /// error, never a read past the end (release builds drop preconditions, so the check must be arithmetic).
    func testHugeShapesAreRefused() throws {
        let huge: [(String, String)] = [
            ("(9223372036854775807, 2)", "more than 9223372036854775807 bytes"), ("(4611686018427387904, 4)", "more than"),
            ("(3037000500, 3037000500)", "more than"), ("(1000000, 1000000)", "4000000000000 bytes"),
            ("(2305843009213693952, 1)", "more than"),
        ]
        for (i, (shape, text)) in huge.enumerated() {
            let p = try write(header: "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }", payload: 16, name: "huge\(i).npy")
            assertInputError(p, mentions: "truncated")
            assertInputError(p, mentions: text)
        }
        let p = try write(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 2), }", payload: 16, name: "toolong.npy")
        assertInputError(p, mentions: "is not a non-negative integer")
        // No bytes are needed for zero columns, but a loop over 2⁶³ rows would never end.
        assertInputError(try write(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 0), }", payload: 0, name: "rows.npy"),
                         mentions: "more rows than")
    }
}

final class ChecksumTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(Checksum.sha256([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Checksum.sha256(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(Checksum.sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// A file is read in 1 MiB chunks: one of several chunks hashes as the whole.
    func testFileEqualsBytes() throws {
        let bytes = [UInt8](repeating: 0x61, count: 1_000_000) + (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = temporaryFile(bytes: bytes, name: "blob.bin")
        XCTAssertEqual(try Checksum.sha256(file: path), Checksum.sha256(bytes))
        XCTAssertEqual(Checksum.sha256([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        XCTAssertThrowsError(try Checksum.sha256(file: path + ".missing"))
    }
}
