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

    /// Numbers are written as `%.6f` writes them, trailing zeros trimmed, whatever the fast path takes:
    /// every magnitude, halves of a micro-unit, negatives and values that round to zero or to a whole.
    func testNumbersAreWrittenAsSixDecimalsWithoutTrailingZeros() throws {
        func reference(_ x: Double) -> String {
            if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
            var s = String(format: "%.6f", x)
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s == "-0" ? "0" : s
        }
        var rng = SeededGenerator(seed: 3)
        var values: [Double] = [0.5, -0.5, 1.0000004, 1.0000005, 1.0000015, 2.0000001, 1.9999999, 0.0000004, -0.0000004, 0.0000005,
                                999_999.9999995, 999_999.99999949, 1e6 + 0.25, 123.456, 0.1, 0.2 + 0.1, -7.25, 1e-300, 1e20, -3e15 - 0.5]
        for _ in 0..<20_000 {
            let magnitude = pow(10, Double.random(in: -8...9, using: &rng))
            var x = Double.random(in: -1...1, using: &rng) * magnitude
            // Micro-unit halves and whole micro-units, where rounding decides.
            if rng.int(4) == 0 { x = (x * 1e6).rounded() / 1e6 + (rng.int(2) == 0 ? 5e-7 : 0) }
            values.append(x)
        }
        for x in values {
            let text: String = JSON.number(x)
            XCTAssertEqual(text, reference(x), "\(x)")
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)), "\(text) is JSON")
        }
    }
}
