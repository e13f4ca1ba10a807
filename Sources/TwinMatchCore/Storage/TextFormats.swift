import Foundation

/// A JSON value built by hand, so key order and number formatting are ours.
public indirect enum JSON: Sendable {
    case string(String), number(Double), int(Int), bool(Bool), null
    case array([JSON]), object([(String, JSON)])

    public func render(indent: Int = 0, pretty: Bool = true) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out, indent: indent, pretty: pretty)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the rendering's UTF-8 to `out`: one buffer for the whole document.
    func write(into out: inout [UInt8], indent: Int, pretty: Bool) {
        func newline(_ level: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: 2 * level))
        }
        switch self {
        case .string(let s): JSON.quote(s, into: &out)
        case .number(let x): out += (x.isFinite ? JSON.number(x) : "null").utf8
        case .int(let i): out += String(i).utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                item.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSON.quote(pair.0, into: &out)
                out += (pretty ? ": " : ":").utf8
                pair.1.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A number as the tool writes them: an integer without a fraction, otherwise rounded to 6 decimals
    /// (as `%.6f` does) without trailing zeros.
    public static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        // Below a million the micro-units are exact enough to round here, except within a hair of a half
        // (where `%.6f`'s rounding of the binary value decides).
        if abs(x) < 1e6 {
            let scaled = x * 1e6, fraction = abs(scaled - scaled.rounded(.towardZero))
            if abs(fraction - 0.5) > 1e-3 {
                let units = Int64(scaled.rounded())
                if units == 0 { return "0" }
                let whole = units.magnitude / 1_000_000, part = units.magnitude % 1_000_000
                var s = (units < 0 ? "-" : "") + String(whole)
                if part != 0 {
                    // The six decimals without their trailing zeros, then padded in front to their width.
                    var digits = part, width = 6
                    while digits % 10 == 0 { digits /= 10; width -= 1 }
                    let text = String(digits)
                    s += "." + String(repeating: "0", count: width - text.count) + text
                }
                return s
            }
        }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `s` quoted: `"` and `\` escaped, line ends and tabs by their letters, other control characters
    /// as `\u00xx`; everything else as its UTF-8, copied whole when nothing needs escaping.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += utf8
        } else {
            for b in utf8 {
                switch b {
                case 0x22: out += "\\\"".utf8
                case 0x5C: out += "\\\\".utf8
                case 0x0A: out += "\\n".utf8
                case 0x0D: out += "\\r".utf8
                case 0x09: out += "\\t".utf8
                case ..<0x20: out += "\\u00".utf8; out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A CSV field, quoted when needed, and safe to open in a spreadsheet unless `raw`: a text cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would run as a formula,
/// gets a leading `'` (OWASP's advice on CSV injection). Numbers such as `-3.2` stay numbers.
public func csvField(_ s: String, raw: Bool = false) -> String {
    let cell = raw ? s : spreadsheetSafe(s)
    return cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
}

/// `s`, or `'` + `s` when `s` is text that starts as a spreadsheet formula does (see `csvField`).
public func spreadsheetSafe(_ s: String) -> String {
    guard let first = s.utf8.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first), !isPlainNumber(s) else { return s }
    return "'" + s
}

/// Whether `s` is a decimal number as the tool writes them: an optional sign, digits with an optional
/// fraction, an optional exponent (`-3.2`, `+1e-5`); not `-inf`, `-nan` or `-0x1p3`.
public func isPlainNumber(_ s: String) -> Bool {
    var u = s.utf8[...]
    func digits() -> Int {
        let n = u.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
        u = u.dropFirst(n)
        return n
    }
    if u.first == 0x2B || u.first == 0x2D { u = u.dropFirst() }
    var mantissa = digits()
    if u.first == 0x2E { u = u.dropFirst(); mantissa += digits() }
    guard mantissa > 0 else { return false }
    if u.first == 0x65 || u.first == 0x45 {
        u = u.dropFirst()
        if u.first == 0x2B || u.first == 0x2D { u = u.dropFirst() }
        guard digits() > 0 else { return false }
    }
    return u.isEmpty
}

/// `s` with every control character but tab and line feed (C0, DEL, C1) shown as `?`, so text from
/// input files cannot move the cursor, recolour or retitle a terminal.
public func terminalSafe(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isUnsafeControl) else { return s }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars { out.append(isUnsafeControl(u) ? "?" : u) }
    return String(out)
}

func isUnsafeControl(_ u: Unicode.Scalar) -> Bool {
    (u.value < 0x20 && u != "\t" && u != "\n") || (u.value >= 0x7F && u.value < 0xA0)
}


/// Rounds to 6 decimals for stable output across BLAS builds.
public func r6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

/// Rounds seconds to tenths.
public func r1(_ x: Double) -> Double { (x * 10).rounded() / 10 }

/// Left-aligned text table with a header rule.
public func tableText(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
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

public func fixed(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
