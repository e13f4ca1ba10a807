import Foundation
import XCTest
@testable import TwinMatchCore

/// The seeded generator every random test uses, so that a failure names its seed and repeats exactly.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// Uniform in [−1, 1), on a 2⁻²³ grid.
    mutating func uniformFloat() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Random `rows × cols` matrix with values in [-1, 1]; with `levels`, values are quantised to produce ties.
func randomMatrix(rows: Int, cols: Int, using rng: inout SeededGenerator, levels: Int? = nil) -> FloatMatrix {
    var values: [Float] = []
    values.reserveCapacity(rows * cols)
    for _ in 0..<(rows * cols) {
        var v = Float.random(in: -1...1, using: &rng)
        if let levels { v = (v * Float(levels)).rounded() / Float(levels) }
        values.append(v)
    }
    return FloatMatrix(rows: rows, cols: cols, values: values)
}

/// The plain reference: every score in Double, full sort by score then tie rank.
func referenceTopK(queries: FloatMatrix, candidates: FloatMatrix, k: Int, tieRank: [Int32], bias: [Float]? = nil,
                   admissible: ((Int, Int) -> Bool)? = nil) -> [[(row: Int, score: Double)]] {
    (0..<queries.rows).map { q in
        var all: [(row: Int, score: Double)] = []
        for c in 0..<candidates.rows where admissible?(q, c) ?? true {
            var s = 0.0
            for j in 0..<queries.cols { s += Double(queries[q, j]) * Double(candidates[c, j]) }
            if let bias { s += Double(bias[c]) }
            all.append((c, s))
        }
        all.sort { $0.score != $1.score ? $0.score > $1.score : tieRank[$0.row] < tieRank[$1.row] }
        return Array(all.prefix(max(0, k)))
    }
}

/// Checks a fast result against the reference: same length, scores within `tolerance`, and the same
/// rows except where scores are tied within the tolerance.
func assertMatchesReference(_ fast: [Neighbor], _ reference: [(row: Int, score: Double)], tolerance: Double = 1e-4,
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

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "profiles.csv") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twinmatch-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

func temporaryFile(bytes: [UInt8], name: String = "profiles.csv") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twinmatch-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

/// A small valid profile file used by several tests.
let sampleCSV = """
id,name,country,region,lat,lon,population,languages,themes,offers,seeks,migration_links,networks,partners
1,Annecy,FR,84,45.899,6.129,49232,fr,tourism;creative-industries:0.8,creative-industries,energy-transition,,alpine-towns,2
2,Bayreuth,DE,02,49.948,11.578,72940,de,culture-heritage;creative-industries,,,,,1
3,Vicenza,IT,20,45.549,11.549,111980,it,culture-heritage;tourism,energy-transition,,TR:0.2,,
4,Zadar,HR,15,44.119,15.231,67309,hr,culture-heritage:0.5;tourism,,creative-industries,,intercultural-cities,
5,Lyon,FR,84,45.748,4.847,522969,fr,intercultural-dialogue,,,DZ:0.3,intercultural-cities,
6,Dakar,SN,01,14.693,-17.447,2476400,fr;wo,migration-integration,,,,,
7,Empty,DE,,50.0,8.0,0,,,,,,,

"""
