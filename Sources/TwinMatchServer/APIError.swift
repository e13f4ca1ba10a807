import Foundation
import TwinMatchCore

/// An answer that is not a result: its HTTP status, a stable code, the parameter at fault, what was
/// expected, and for an unknown city the places it may have meant. Its body is
/// `{"schema_version", "error": {"status", "code", "message", ["parameter"], ["suggestions"]}}`; it never
/// carries a stack trace, a file path or the server's internals.
public struct APIError: Error, Sendable {
    public let status: Int
    public let code: String
    public let message: String
    public let parameter: String?
    public let suggestions: [JSON]

    public init(status: Int, code: String, _ message: String, parameter: String? = nil, suggestions: [JSON] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.suggestions = suggestions
    }

    /// A parameter that is missing, malformed or out of range (400).
    public static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(status: 400, code: "bad_parameter", message, parameter: name)
    }

    public var json: JSON {
        var fields: [(String, JSON)] = [("status", .int(status)), ("code", .string(code)), ("message", .string(message))]
        if let parameter { fields.append(("parameter", .string(parameter))) }
        if status == 404 && code == "unknown_city" { fields.append(("suggestions", .array(suggestions))) }
        return .object([("schema_version", .int(outputSchemaVersion)), ("error", .object(fields))])
    }

    /// The answer for an error the core raised while serving a request: a wrong option is the request's
    /// fault (400, named as the query parameter: `--max-km` is `max-km`); anything else is the server's
    /// (500), said without its details.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let api as APIError: return api
        case let option as OptionError:
            return .badParameter(parameterName(option.option), apiWording(option.message))
        case let lookup as CityLookupError:
            return APIError(status: 400, code: "bad_parameter", apiWording(lookup.description))
        default:
            return APIError(status: 500, code: "internal", "the server could not answer this request")
        }
    }

    /// The query parameter of a command-line option (`--candidate-country` → `candidate-country`).
    static func parameterName(_ option: String) -> String {
        option.hasPrefix("--") ? String(option.dropFirst(2)) : option
    }

    /// A core message in the API's words: options named as parameters.
    static func apiWording(_ message: String) -> String { message.replacingOccurrences(of: "--", with: "") }
}
