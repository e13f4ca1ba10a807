import Foundation

/// The few pieces of markup reports are written with. Everything that comes from data goes through
/// `escape`, so a place called `<script>` shows as text. Output is well-formed XML as well as HTML5 (every
/// element closed, attributes quoted, no named entity beyond XML's own), so it can be checked by a parser.
enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            if let reference = references[c] { out += reference } else { out.unicodeScalars.append(c) }
        }
        return out
    }

    static let references: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    /// `<name a="v"…>content</name>`: `content` is markup, attribute values are escaped.
    static func element(_ name: String, _ attributes: KeyValuePairs<String, String>, _ content: String) -> String {
        "<\(name)\(attributeText(attributes))>\(content)</\(name)>"
    }

    /// `<name>content</name>`: `content` is markup.
    static func element(_ name: String, _ content: String) -> String { "<\(name)>\(content)</\(name)>" }

    /// `<name a="v"…>text</name>` with `text` escaped.
    static func text(_ name: String, _ attributes: KeyValuePairs<String, String>, _ text: String) -> String {
        element(name, attributes, escape(text))
    }

    /// `<name>text</name>` with `text` escaped.
    static func text(_ name: String, _ text: String) -> String { element(name, escape(text)) }

    /// `<name a="v"…/>`: for SVG elements and HTML's void ones (`meta`) only, since an HTML parser reads
    /// `<span/>` as an opening tag.
    static func empty(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) -> String {
        "<\(name)\(attributeText(attributes))/>"
    }

    static func attributeText(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    /// A coordinate for SVG: one decimal, no trailing `.0`.
    static func number(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        let whole = tenths / 10, rest = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return rest == 0 ? "\(whole)" : "\(sign)\(whole).\(rest)"
    }
}
