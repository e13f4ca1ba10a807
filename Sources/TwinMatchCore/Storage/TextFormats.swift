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

