import Foundation

/// The seeded shuffle behind `split-pairs` and `cross-validate`: the rows of a partnership file in a
/// reproducible random order, cut into a test part and the rest. The same file and seed give the same parts.
public struct PairSplit {
    public let file: String
    public let header: CSVRecord
    /// The data rows, shuffled.
    public let shuffled: [CSVRecord]

    public init(path: String, seed: UInt64) throws {
        let records = try CSVReader.read(path: path)
        guard let header = records.first else { throw InputError(file: path, "the file is empty: expected a header with geonameid_a,geonameid_b") }
        _ = try KnownPairs.idColumns(header, file: path)
        var rows = Array(records.dropFirst())
        var rng = SplitMix64(seed: seed)
        rows.shuffle(using: &rng)
        file = path
        self.header = header
        shuffled = rows
    }

    public var count: Int { shuffled.count }

    /// The test part that holds out `fraction` of the rows: the first rows of the shuffle.
    public func testRows(fraction: Double) -> Range<Int> { 0 ..< Int(Double(count) * fraction) }

    /// The test part of fold `fold` (from 0) of `folds` equal parts of the shuffle.
    public func testRows(folds: Int, fold: Int) -> Range<Int> { count * fold / folds ..< count * (fold + 1) / folds }

    /// The training rows (all but `test`) and the test rows, each in file order.
    public func parts(test: Range<Int>) -> (train: [CSVRecord], test: [CSVRecord]) {
        let byLine: (CSVRecord, CSVRecord) -> Bool = { $0.line < $1.line }
        return ((shuffled[..<test.lowerBound] + shuffled[test.upperBound...]).sorted(by: byLine), shuffled[test].sorted(by: byLine))
    }

    /// `rows` under the file's header as CSV: the cells as read (a copy of input for the tool to read back,
    /// not made safe for spreadsheets).
    public func csv(_ rows: [CSVRecord]) -> Data {
        Data((([header] + rows).map { $0.fields.map { csvField($0, raw: true) }.joined(separator: ",") }.joined(separator: "\n") + "\n").utf8)
    }

    /// Writes `rows` as `csv` does to `path`, atomically.
    public func write(_ rows: [CSVRecord], to path: String) throws { try AtomicFile.write(csv(rows), to: path) }
}
