import Foundation

/// Reads JSON text back into a `JSON` value with its key order kept, so that a manifest the tool wrote
/// can be compared field by field and rendered again as it was. Integers (no fraction, no exponent) read
/// as `.int`, other numbers as `.number`.
public struct JSONReader {
    let bytes: [UInt8]
    let file: String
    var at = 0

    /// The value in `text`; malformed text is a `.data` error naming `file` and the line.
    public static func parse(_ text: String, file: String) throws -> JSON {
        var reader = JSONReader(bytes: Array(text.utf8), file: file)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == reader.bytes.count else { throw reader.fail("unexpected text after the JSON value") }
        return value
    }

    /// The value of the JSON file at `path`.
    public static func read(path: String, what: String = "the file") throws -> JSON {
        let data = try InputFile.read(path, what: what)
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, "invalid UTF-8") }
        return try parse(text, file: path)
    }

    func fail(_ message: String) -> InputError {
        let line = bytes[..<min(at, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        return InputError(file: file, line: line, "not valid JSON: \(message)")
    }

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
    }

    mutating func expect(_ literal: String) throws {
        let want = Array(literal.utf8)
        guard bytes.count - at >= want.count, Array(bytes[at..<at + want.count]) == want else { throw fail("expected \(literal)") }
        at += want.count
    }

    mutating func value(depth: Int) throws -> JSON {
        guard depth < 64 else { throw fail("nested too deeply") }
        skipSpace()
        guard at < bytes.count else { throw fail("unexpected end of the text") }
        switch bytes[at] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: try expect("true"); return .bool(true)
        case 0x66: try expect("false"); return .bool(false)
        case 0x6E: try expect("null"); return .null
        default: return try number()
        }
    }

    mutating func object(depth: Int) throws -> JSON {
        at += 1
        var pairs: [(String, JSON)] = []
        skipSpace()
        if at < bytes.count, bytes[at] == 0x7D { at += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == 0x22 else { throw fail("expected a key in quotes") }
            let key = try string()
            skipSpace()
            try expect(":")
            pairs.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end of the text in an object") }
            if bytes[at] == 0x2C { at += 1; continue }
            try expect("}")
            return .object(pairs)
        }
    }

    mutating func array(depth: Int) throws -> JSON {
        at += 1
        var items: [JSON] = []
        skipSpace()
        if at < bytes.count, bytes[at] == 0x5D { at += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end of the text in an array") }
            if bytes[at] == 0x2C { at += 1; continue }
            try expect("]")
            return .array(items)
        }
    }

    mutating func string() throws -> String {
        at += 1
        var out: [UInt8] = []
        while at < bytes.count {
            let b = bytes[at]
            at += 1
            switch b {
            case 0x22:
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
                return s
            case 0x5C:
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x75: out += Array(String(try escapedScalar()).utf8)
                default: throw fail("unknown escape in a string")
                }
            default:
                if b < 0x20 { throw fail("a control character in a string") }
                out.append(b)
            }
        }
        throw fail("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape (a surrogate pair when it takes two).
    mutating func escapedScalar() throws -> Character {
        func hex4() throws -> UInt32 {
            guard bytes.count - at >= 4, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else { throw fail("bad \\u escape") }
            at += 4
            return v
        }
        var v = try hex4()
        if (0xD800..<0xDC00).contains(v) {
            try expect("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(v) else { throw fail("bad \\u escape") }
        return Character(scalar)
    }

    mutating func number() throws -> JSON {
        let start = at
        while at < bytes.count, (0x30...0x39).contains(bytes[at]) || [0x2D, 0x2B, 0x2E, 0x65, 0x45].contains(bytes[at]) { at += 1 }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        guard !text.isEmpty, isPlainNumber(text) else { throw fail(text.isEmpty ? "unexpected character" : "'\(text)' is not a number") }
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let i = Int(text) { return .int(i) }
        guard let x = Double(text) else { throw fail("'\(text)' is not a number") }
        return .number(x)
    }
}

extension JSON {
    /// The value of `key` when this is an object that has it.
    public subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let x): return x
        default: return nil
        }
    }

    public var arrayValue: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// This object without `keys` (anything else as it is).
    public func removing(_ keys: Set<String>) -> JSON {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs.filter { !keys.contains($0.0) })
    }

    /// This object with `key` set to `value`: in its place when present, else at the end.
    public func setting(_ key: String, _ value: JSON) -> JSON {
        guard case .object(var pairs) = self else { return self }
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    /// The compact rendering, for comparing values.
    public var compact: String { render(pretty: false) }
}
