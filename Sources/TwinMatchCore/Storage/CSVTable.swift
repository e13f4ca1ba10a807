import Foundation

/// A CSV file with a header row, read by column name.
public struct CSVTable: Sendable {
    public let path: String
    let columns: [String: Int]
    public let records: [CSVRecord]
    /// What to tell a person whose copy of the file is missing or damaged ("regenerate it with …").
    let regenerate: String

    public init(path: String, regenerate: String = "") throws {
        self.path = path
        self.regenerate = regenerate
        let hint = regenerate.isEmpty ? "" : ": \(regenerate)"
        do { try InputFile.check(path) } catch let error as InputError { throw InputError(file: path, kind: error.kind, error.message + hint) }
        let all = try CSVReader.read(path: path)
        guard let header = all.first else { throw InputError(file: path, "the file is empty\(hint)") }
        columns = Dictionary(header.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        records = Array(all.dropFirst())
    }

    /// Fails on the first of `names` the header lacks.
    public func require(_ names: [String]) throws {
        for n in names where columns[n] == nil {
            throw InputError(file: path, line: 1, field: n, "missing column" + (regenerate.isEmpty ? "" : ": \(regenerate)"))
        }
    }

    /// The record's value in column `name`, without surrounding spaces ("" when absent).
    public func value(_ r: CSVRecord, _ name: String) -> String {
        guard let i = columns[name], i < r.fields.count else { return "" }
        return trimSpaces(r.fields[i])
    }
}
