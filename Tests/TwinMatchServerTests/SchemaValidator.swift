import Foundation

/// Checks JSON values against the schemas of the checked-in OpenAPI document (the JSON Schema keywords it
/// uses: type, const, enum, properties, required, additionalProperties, items, allOf, $ref, minimum,
/// maximum, minLength, maxLength). Each problem is a path and what was wrong.
struct SchemaValidator {
    let document: [String: Any]

    init(openAPI data: Data) throws {
        guard let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw NSError(domain: "schema", code: 1) }
        document = doc
    }

    /// The problems of `value` against the schema `components/schemas/name`.
    func problems(_ value: Any, against name: String) -> [String] {
        var out: [String] = []
        check(value, ["$ref": "#/components/schemas/\(name)"], path: "$", &out)
        return out
    }

    func resolve(_ ref: String) -> [String: Any] {
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    static func typeName(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let n = v as? NSNumber {
            if String(cString: n.objCType) == "c" { return "boolean" }
            return n.doubleValue == n.doubleValue.rounded() ? "integer" : "number"
        }
        if v is Bool { return "boolean" }
        if v is String { return "string" }
        if v is [Any] { return "array" }
        if v is [String: Any] { return "object" }
        return "unknown"
    }

    func check(_ v: Any, _ schema: [String: Any], path: String, _ out: inout [String]) {
        if let ref = schema["$ref"] as? String { check(v, resolve(ref), path: path, &out); return }
        if let all = schema["allOf"] as? [[String: Any]] { for s in all { check(v, s, path: path, &out) } }
        let actual = Self.typeName(v)
        if let t = schema["type"] {
            let allowed = (t as? [String]) ?? [(t as? String) ?? ""]
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok { out.append("\(path): \(actual), expected \(allowed.joined(separator: "|"))"); return }
        }
        if let values = schema["enum"] as? [Any], !values.contains(where: { Self.same($0, v) }) { out.append("\(path): \(v) not in the enum") }
        if let c = schema["const"], !Self.same(c, v) { out.append("\(path): \(v), expected \(c)") }
        if let n = v as? NSNumber, actual != "boolean" {
            if let min = schema["minimum"] as? Double, n.doubleValue < min { out.append("\(path): \(n) below \(min)") }
            if let max = schema["maximum"] as? Double, n.doubleValue > max { out.append("\(path): \(n) above \(max)") }
        }
        if let s = v as? String {
            if let min = schema["minLength"] as? Int, s.count < min { out.append("\(path): shorter than \(min)") }
        }
        if let object = v as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil { out.append("\(path): missing \(key)") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, value) in object {
                if let p = properties[key] as? [String: Any] { check(value, p, path: "\(path).\(key)", &out) }
                else if let extra = schema["additionalProperties"] as? [String: Any] { check(value, extra, path: "\(path).\(key)", &out) }
                else if let extra = schema["additionalProperties"] as? Bool, !extra { out.append("\(path): unexpected \(key)") }
            }
        }
        if let array = v as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, item) in array.enumerated() { check(item, items, path: "\(path)[\(i)]", &out) }
        }
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
        return false
    }
}
