import Foundation
import TwinMatchCore

/// Writes command output: to standard output, or to a file that appears only when complete.
func emit(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    try AtomicFile.write(Data(text.utf8), to: path)
}

/// Rounds to 6 decimals for stable output across BLAS builds.
func r6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

/// Rounds seconds to tenths.
func r1(_ x: Double) -> Double { (x * 10).rounded() / 10 }

/// Left-aligned text table with a header rule.
func tableText(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            let padding = String(repeating: " ", count: widths[i] - c.count)
            return rightAligned.contains(i) ? padding + c : c + padding
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n") + "\n"
}

func fixed(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
