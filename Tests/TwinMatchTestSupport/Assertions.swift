import XCTest
import TwinMatchCore

/// Checks a fast result against the reference: same length, scores within `tolerance`, and the same
/// rows except where scores are tied within the tolerance.
public func assertMatchesReference(_ fast: [Neighbor], _ reference: [(row: Int, score: Double)], tolerance: Double = 1e-4,
                                   _ context: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(fast.count, reference.count, "\(context): result count", file: file, line: line)
    for (i, (f, r)) in zip(fast, reference).enumerated() {
        XCTAssertEqual(Double(f.score), r.score, accuracy: tolerance, "\(context): score at rank \(i + 1)", file: file, line: line)
        if f.row != r.row {
            // Only acceptable within a tie: the reference's score for the fast row must equal this rank's score.
            XCTAssertEqual(Double(f.score), r.score, accuracy: tolerance, "\(context): rank \(i + 1) row \(f.row) vs \(r.row)", file: file, line: line)
        }
    }
    let fastRows = Set(fast.map(\.row)), refRows = Set(reference.map(\.row))
    if fastRows != refRows, let last = reference.last {
        // Rows may differ only among candidates tied with the last kept score.
        for row in fastRows.symmetricDifference(refRows) {
            let s = fast.first(where: { $0.row == row }).map { Double($0.score) } ?? reference.first(where: { $0.row == row })!.score
            XCTAssertEqual(s, last.score, accuracy: tolerance, "\(context): row \(row) differs outside a tie", file: file, line: line)
        }
    }
}
