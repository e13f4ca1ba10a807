import Foundation

/// One CSV record: its fields and the line it starts on (1-based).
public struct CSVRecord: Sendable {
    public let line: Int
    public let fields: [String]
}

/// An RFC 4180 CSV reader: quoted fields (with `""` escapes and line breaks inside), LF or CRLF line ends,
/// an optional UTF-8 byte-order mark. Blank lines are skipped. Invalid UTF-8, a NUL byte, a UTF-16 file and an
/// unclosed quote are errors.
public enum CSVReader {
    public static func read(path: String) throws -> [CSVRecord] {
        try parse([UInt8](try InputFile.read(path)), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = try InputText.start(of: bytes, file: file)
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 1
        var fieldWasQuoted = false
        var quoteField = 0

        // Fields are named by the header (the first record) once it has been read.
        func name(_ index: Int) -> String {
            if let header = records.first, index < header.fields.count { return header.fields[index] }
            return records.isEmpty ? "header column \(index + 1)" : "column \(index + 1)"
        }
        func finishField() throws {
            guard let s = String(validating: field, as: UTF8.self) else {
                throw InputError(file: file, line: recordLine, field: name(fields.count), "invalid UTF-8")
            }
            if field.contains(0) {
                throw InputError(file: file, line: recordLine, field: name(fields.count), "a NUL byte in the field (a binary or UTF-16 file?)")
            }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws {
            try finishField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteLine = line
                    quoteField = fields.count
                } else {
                    throw InputError(file: file, line: line, field: name(fields.count), "stray quote inside a field (quote the whole field and double inner quotes)")
                }
            case UInt8(ascii: ","):
                try finishField()
            case UInt8(ascii: "\r"):
                if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { break }
                field.append(b)
            case UInt8(ascii: "\n"):
                try finishRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw InputError(file: file, line: line, field: name(fields.count), "text after a closing quote")
                }
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            throw InputError(file: file, line: quoteLine, field: name(quoteField), "unbalanced quote: a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try finishRecord() }
        return records
    }
}

/// `s` without leading and trailing spaces and tabs (a fast path for the common untrimmed case).
@inline(__always)
public func trimSpaces<S: StringProtocol>(_ s: S) -> String {
    let sub = Substring(s)
    let u = sub.utf8
    guard let first = u.first, let last = u.last else { return "" }
    if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return String(sub) }
    var lo = u.startIndex, hi = u.endIndex
    while lo < hi && (u[lo] == 0x20 || u[lo] == 0x09) { lo = u.index(after: lo) }
    while hi > lo {
        let before = u.index(before: hi)
        if u[before] == 0x20 || u[before] == 0x09 { hi = before } else { break }
    }
    return String(sub[lo..<hi])
}
