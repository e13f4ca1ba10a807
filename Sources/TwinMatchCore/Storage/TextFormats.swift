import Foundation

/// A JSON value built by hand, so key order and number formatting are ours.
public indirect enum JSON: Sendable {
    case string(String), number(Double), int(Int), bool(Bool), null
    case array([JSON]), object([(String, JSON)])

    public func render(indent: Int = 0, pretty: Bool = true) -> String {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let end = pretty ? String(repeating: "  ", count: indent) : ""
        let nl = pretty ? "\n" : ""
        switch self {
        case .string(let s): return JSON.quote(s)
        case .number(let x): return x.isFinite ? JSON.number(x) : "null"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + nl + items.map { pad + $0.render(indent: indent + 1, pretty: pretty) }.joined(separator: "," + nl) + nl + end + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            let sep = pretty ? ": " : ":"
            return "{" + nl + pairs.map { pad + JSON.quote($0.0) + sep + $0.1.render(indent: indent + 1, pretty: pretty) }.joined(separator: "," + nl) + nl + end + "}"
        }
    }

    public static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// A CSV field, quoted when needed.
public func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
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
