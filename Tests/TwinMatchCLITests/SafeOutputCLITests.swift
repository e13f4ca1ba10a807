import Foundation
import XCTest
import TwinMatchTestSupport

/// Names that are formulas or terminal escapes, through every command that writes CSV or a table.
final class SafeOutputCLITests: XCTestCase {
    static let profiles = """
    id,name,country,region,lat,lon,population,languages,themes
    1,Annecy,FR,84,45.899,6.129,49232,fr,tourism;culture-heritage
    2,"=HYPERLINK(""http://x"")",DE,02,49.948,11.578,72940,de,culture-heritage;tourism
    3,@Vicenza,IT,20,45.549,11.549,111980,it,culture-heritage;tourism
    4,Za\u{1B}]0;owned\u{07}dar,HR,15,44.119,15.231,67309,hr,culture-heritage;tourism

    """
    static let recommend = ["recommend", "--content", "--no-known-pairs", "--limit", "3", "--city", "Annecy"]

    func testCSVCellsThatAreFormulasGetAQuote() throws {
        let path = temporaryFile(Self.profiles)
        let safe = try runTwinmatch(Self.recommend + ["--profiles", path, "--format", "csv"])
        XCTAssertEqual(safe.status, 0, safe.stderr)
        XCTAssertTrue(safe.stdout.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",DE,"), safe.stdout)
        XCTAssertTrue(safe.stdout.contains(",'@Vicenza,IT,"), safe.stdout)
        XCTAssertFalse(safe.stdout.contains(",=") || safe.stdout.contains(",@") || safe.stdout.contains(",\"="), safe.stdout)
        let raw = try runTwinmatch(Self.recommend + ["--profiles", path, "--format", "csv", "--raw-csv"])
        XCTAssertEqual(raw.status, 0, raw.stderr)
        XCTAssertTrue(raw.stdout.contains(",\"=HYPERLINK(\"\"http://x\"\")\",DE,"), raw.stdout)
        XCTAssertTrue(raw.stdout.contains(",@Vicenza,IT,"), raw.stdout)
    }

    func testTablesShowControlCharactersAsQuestionMarks() throws {
        let path = temporaryFile(Self.profiles)
        let table = try runTwinmatch(Self.recommend + ["--profiles", path])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("Za?]0;owned?dar"), table.stdout)
        XCTAssertFalse(table.stdoutData.contains(0x1B) || table.stdoutData.contains(0x07))
        let unknown = try runTwinmatch(["recommend", "--content", "--no-known-pairs", "--profiles", path, "--city", "X\u{1B}[2J"])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        XCTAssertFalse(unknown.stderrData.contains(0x1B), unknown.stderr)
        let json = try runTwinmatch(Self.recommend + ["--profiles", path, "--format", "json"])
        XCTAssertTrue(json.stdout.contains("\"name\": \"Za\\u001b]0;owned\\u0007dar\""), json.stdout)
    }

    func testBatchCSVIdsThatAreFormulasGetAQuote() throws {
        let dir = temporaryDirectory()
        let x = (0..<4).flatMap { i in (0..<3).map { Float(($0 + i) % 3) + 1 } }
        let npy = dir.appendingPathComponent("x.npy").path
        XCTAssertTrue(FileManager.default.createFile(atPath: npy, contents: npyData(rows: 4, cols: 3, values: x)))
        let ids = dir.appendingPathComponent("ids.txt").path
        try "=1+1\n-7\n@a\nb\n".write(toFile: ids, atomically: true, encoding: .utf8)
        let safe = try runTwinmatch(["batch", "--vectors", npy, "--ids", ids, "--k", "3"])
        XCTAssertEqual(safe.status, 0, safe.stderr)
        XCTAssertTrue(safe.stdout.contains("'=1+1,1,") && safe.stdout.contains("'@a,") && safe.stdout.contains("\n-7,1,"), safe.stdout)
        let raw = try runTwinmatch(["batch", "--vectors", npy, "--ids", ids, "--k", "3", "--raw-csv"])
        XCTAssertTrue(raw.stdout.contains("\n=1+1,1,") && raw.stdout.contains("\n@a,"), raw.stdout)
    }

    /// A float32 `.npy` written by hand (version 1.0), so this test does not lean on the writer it checks around.
    func npyData(rows: Int, cols: Int, values: [Float]) -> Data {
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(cols)), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.utf8.count & 0xFF), UInt8(dict.utf8.count >> 8)] + Array(dict.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}
