import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// Text from input files on its way out: CSV cells a spreadsheet would run, terminal control characters,
/// and JSON, which must stay exact.
final class SafeTextTests: XCTestCase {
    func testFormulaCellsGetAQuoteAndNumbersStayNumbers() {
        let cases: [(String, String)] = [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"), ("\rx", "\"'\rx\""), ("=1,2", "\"'=1,2\""), ("-", "'-"), ("-inf", "'-inf"), ("-nan", "'-nan"), ("-0x1p3", "'-0x1p3"),
            ("-3.2", "-3.2"), ("+1e-5", "+1e-5"), ("-12", "-12"), ("-.5", "-.5"), ("-1.5E+3", "-1.5E+3"),
            ("Saint-Étienne", "Saint-Étienne"), ("a=b", "a=b"), ("", ""), ("3037543", "3037543"),
        ]
        for (cell, written) in cases {
            XCTAssertEqual(csvField(cell), written, cell.debugDescription)
        }
        XCTAssertEqual(csvField("=1+1", raw: true), "=1+1")
        XCTAssertEqual(csvField("=1,1", raw: true), "\"=1,1\"")
        XCTAssertFalse(isPlainNumber("1e"))
        XCTAssertFalse(isPlainNumber("."))
        XCTAssertFalse(isPlainNumber("-"))
        XCTAssertFalse(isPlainNumber("1.2.3"))
    }

    func testControlCharactersNeverReachTheTerminal() {
        XCTAssertEqual(terminalSafe("a\u{1B}]0;owned\u{07}b\u{7F}\u{85}\u{9B}c\td\ne\r"), "a?]0;owned?b???c\td\ne?")
        XCTAssertEqual(terminalSafe("Zürich – Genève"), "Zürich – Genève")
    }

    func testJSONKeepsControlCharactersExactly() throws {
        let name = "a\u{1B}[31m\u{0}\u{7F}\u{85}\u{2028}\"\\\tb\r\n"
        let text = JSON.array([.string(name)]).render(pretty: false)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 }, "C0 controls are escaped")
        let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        XCTAssertEqual(back, [name])
    }
}
