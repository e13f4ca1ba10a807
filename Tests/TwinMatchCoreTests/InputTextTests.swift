import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// Line ends, byte-order marks and encodings of the text files users export from spreadsheets.
final class InputTextTests: XCTestCase {
    func testIdListReadsCRLFAndSkipsTheByteOrderMark() throws {
        XCTAssertEqual(try readIdList(path: temporaryFile("a\r\nb\r\n", name: "ids.txt")), ["a", "b"])
        XCTAssertEqual(try readIdList(path: temporaryFile(bytes: [0xEF, 0xBB, 0xBF] + Array("a\nb".utf8), name: "ids.txt")), ["a", "b"])
    }

    func testIdListRefusesBlankLinesAndNUL() throws {
        let blank = temporaryFile("a\r\n \r\nb\r\n", name: "ids.txt")
        XCTAssertThrowsError(try readIdList(path: blank)) { XCTAssertEqual($0 as? InputError, InputError(file: blank, line: 2, "empty id")) }
        let nul = temporaryFile(bytes: Array("a\nb".utf8) + [0] + Array("c\n".utf8), name: "ids.txt")
        XCTAssertThrowsError(try readIdList(path: nul)) { XCTAssertEqual($0 as? InputError, InputError(file: nul, line: 2, "a NUL byte in the id")) }
    }

    func testCSVReadsCRLFQuotedFieldsAndTheByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,\"Saint-Étienne\r\nnord\"\r\n2,Lyon\r\n".utf8)
        let records = try CSVReader.parse(bytes, file: "x.csv")
        XCTAssertEqual(records.map(\.fields), [["id", "name"], ["1", "Saint-Étienne\r\nnord"], ["2", "Lyon"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 4])
    }

    /// An empty file reads as no bytes (without Foundation's reader, which leaked its buffer on one), and every
    /// reader says it is empty.
    func testEmptyFileReadsAsNoBytes() throws {
        let csv = temporaryFile("", name: "empty.csv"), jsonl = temporaryFile("", name: "empty.jsonl")
        XCTAssertEqual(try InputFile.read(csv), Data())
        XCTAssertThrowsError(try ProfileLoader().load(path: csv)) { XCTAssertTrue("\($0)".contains("the file is empty"), "\($0)") }
        XCTAssertThrowsError(try ProfileLoader().load(path: jsonl)) { XCTAssertTrue("\($0)".contains("the file is empty"), "\($0)") }
        XCTAssertThrowsError(try KnownPairs.read(path: csv) { _ in nil }) { XCTAssertTrue("\($0)".contains("the file is empty"), "\($0)") }
    }

    func testUTF16IsRefusedByName() {
        let text = "id,name\n1,Lyon\n"
        let le = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for (label, bytes) in [("LE with BOM", [0xFF, 0xFE] + le), ("BE with BOM", [0xFE, 0xFF] + be), ("LE", le), ("BE", be)] {
            XCTAssertThrowsError(try CSVReader.parse(bytes, file: "export.csv"), label) {
                XCTAssertEqual($0 as? InputError, InputError(file: "export.csv", "the file is UTF-16: save it as UTF-8"), label)
            }
        }
        XCTAssertFalse(InputText.isUTF16(Array(text.utf8)))
        XCTAssertFalse(InputText.isUTF16(Array("a,b\n".utf8) + [0] + Array("c,d\n".utf8)), "one NUL is not UTF-16")
    }

    func testNULInAFieldNamesLineAndField() {
        let bytes = Array("id,name\n1,Ly".utf8) + [0] + Array("on\n".utf8)
        XCTAssertThrowsError(try CSVReader.parse(bytes, file: "p.csv")) {
            XCTAssertEqual($0 as? InputError, InputError(file: "p.csv", line: 2, field: "name", "a NUL byte in the field (a binary or UTF-16 file?)"))
        }
    }

    func testOpeningErrorsSayWhy() throws {
        let dir = temporaryDirectory().path
        XCTAssertThrowsError(try InputFile.read(dir + "/none.csv")) {
            XCTAssertEqual($0 as? InputError, InputError(file: dir + "/none.csv", kind: .noInput, "cannot read the file: not found"))
        }
        XCTAssertThrowsError(try InputFile.read(dir)) {
            XCTAssertEqual($0 as? InputError, InputError(file: dir, kind: .noInput, "cannot read the file: a directory, not a file"))
        }
        XCTAssertEqual(InputError.unreadable("f", errno: EACCES), InputError(file: "f", kind: .noInput, "cannot read the file: permission denied"))
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: dir + "/no/such/out.csv")) {
            XCTAssertEqual($0 as? InputError, InputError(file: dir + "/no/such/out.csv", kind: .cannotCreate, "cannot create the output: its folder does not exist"))
        }
    }
}
