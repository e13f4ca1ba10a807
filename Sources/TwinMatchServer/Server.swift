import Foundation
import Hummingbird
import Logging
import NIOCore
import TwinMatchCore

/// `twinmatch serve`: the JSON API (`/v1/…`, described by `/openapi.json`) and the web page (`/`) over one
/// loaded `MatchService`, on Hummingbird. Requests are answered concurrently; each is logged as one JSON
/// line on standard error (time, method, path, status, milliseconds); SIGINT and SIGTERM stop it after the
/// requests in flight are answered.
public enum MatchServer {
    /// The largest request body taken (a consortium request is a few hundred bytes).
    public static let maxBodyBytes = 64 * 1024

    /// Serves `service` on `host`:`port` (0: a free port) until SIGINT or SIGTERM. `listening` is called
    /// with the address once the socket is bound.
    public static func run(_ service: MatchService, host: String, port: Int, log: Bool = true,
                           listening: @escaping @Sendable (_ host: String, _ port: Int) -> Void) async throws {
        let assets = try PageAssets.load()
        var logger = Logger(label: "twinmatch")
        logger.logLevel = .warning
        let app = Application(
            router: router(service, assets: assets, log: log),
            configuration: .init(address: .hostname(host, port: port), serverName: "twinmatch"),
            onServerRunning: { channel in listening(host, channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService()
    }

    /// The routes: the API, the OpenAPI document and the page's files.
    static func router(_ service: MatchService, assets: PageAssets, log: Bool) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if log { router.add(middleware: RequestLog()) }
        router.add(middleware: ErrorAnswers())
        router.get("/v1/health") { _, _ in jsonResponse(service.health()) }
        router.get("/v1/vocabulary") { request, _ in
            var values = try queryValues(request)
            return jsonResponse(try service.vocabulary(&values))
        }
        router.get("/v1/cities") { request, _ in
            var values = try queryValues(request)
            return jsonResponse(try service.cities(&values))
        }
        router.get("/v1/cities/:id") { request, context in
            var values = try queryValues(request)
            return jsonResponse(try service.city(try context.parameters.require("id"), &values))
        }
        router.get("/v1/cities/:id/recommendations") { request, context in
            let values = try queryValues(request), id = try context.parameters.require("id")
            let answer = try await ranked { var v = values; return try service.recommendations(id, &v) }
            switch answer.format {
            case .json: return textResponse(answer.body, type: "application/json; charset=utf-8")
            case .csv:
                var response = textResponse(answer.body, type: "text/csv; charset=utf-8")
                response.headers[.contentDisposition] = "attachment; filename=\"\(downloadName(answer.city))\""
                return response
            }
        }
        router.get("/v1/cities/:id/revival") { request, context in
            let values = try queryValues(request), id = try context.parameters.require("id")
            return jsonResponse(try await ranked { var v = values; return try service.revival(id, &v) })
        }
        router.get("/v1/pairs/:a/:b") { request, context in
            let values = try queryValues(request), a = try context.parameters.require("a"), b = try context.parameters.require("b")
            return jsonResponse(try await ranked { var v = values; return try service.pair(a, b, &v) })
        }
        router.post("/v1/consortium") { request, _ in
            guard request.headers[.contentType].map({ $0.lowercased().hasPrefix("application/json") }) ?? true else {
                throw APIError(status: 415, code: "bad_body", "send the request body as application/json")
            }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: maxBodyBytes) } catch {
                throw APIError(status: 413, code: "body_too_large", "the request body is larger than \(maxBodyBytes / 1024) KiB")
            }
            let values = try RequestValues(jsonBody: Data(body.readableBytesView))
            return jsonResponse(try await ranked { var v = values; return try service.consortium(&v) })
        }
        router.get("/openapi.json") { _, _ in textResponse(assets.openAPI, type: "application/json; charset=utf-8") }
        router.get("/") { _, _ in pageResponse(assets.page, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in pageResponse(assets.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in pageResponse(assets.style, type: "text/css; charset=utf-8") }
        return router
    }

    /// Where the ranking requests run: off the server's event loops, as many at a time as there are cores,
    /// in the order they arrived. A request then waits only behind those that came before it (with 8
    /// clients on 2 cores, the slowest answers had waited behind later ones: p99 four times p50), and the
    /// event loops keep reading and writing while the cores rank.
    static let workers: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "twinmatch.ranking"
        queue.maxConcurrentOperationCount = ProcessInfo.processInfo.activeProcessorCount
        return queue
    }()

    /// `work`'s result, computed on `workers`.
    static func ranked<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            workers.addOperation { continuation.resume(with: Result(catching: work)) }
        }
    }

    /// The query's values: `+` is a space and `%XX` a byte of UTF-8, as browsers send them.
    static func queryValues(_ request: Request) throws -> RequestValues {
        guard let query = request.uri.query, !query.isEmpty else { return try RequestValues(pairs: []) }
        guard query.utf8.count <= 8_192 else { throw APIError(status: 414, code: "query_too_long", "the query is longer than 8 KiB") }
        let pairs = try query.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decoded = parts.map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded[0], let value = decoded.count > 1 ? decoded[1] : "" else {
                throw APIError(status: 400, code: "bad_query", "the query has a malformed %-escape near '\(String(item.prefix(40)))'")
            }
            return (name, value)
        }
        return try RequestValues(pairs: pairs)
    }

    static func jsonResponse(_ json: JSON) -> Response { textResponse(json.render(pretty: false), type: "application/json; charset=utf-8") }

    static func textResponse(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A page file, with a policy that lets it run only its own script and reach only this server.
    static func pageResponse(_ text: String, type: String) -> Response {
        var response = textResponse(text, type: type)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    /// `partners-Annecy.csv`: the city's name with anything but letters, digits and `-` as `_`.
    static func downloadName(_ city: String) -> String {
        let safe = String(city.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") ? Character($0) : "_" })
        return "partners-\(safe).csv"
    }
}

/// Turns every error into a JSON answer (`APIError.json`): the API's own, the router's (no such path, a
/// method the path does not take) and any other as a 500 that says nothing of the server's internals.
struct ErrorAnswers: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch let error as any HTTPResponseError {
            let status = Int(error.status.code)
            let api = status == 404 ? APIError(status: 404, code: "not_found", "no such path, or the path does not take \(request.method): see /openapi.json for the API")
                : status == 405 ? APIError(status: 405, code: "method_not_allowed", "\(request.method) is not allowed on this path")
                : status == 413 ? APIError(status: 413, code: "body_too_large", "the request body is too large")
                : APIError(status: status, code: "bad_request", "the request could not be read")
            return Self.response(api)
        } catch {
            return Self.response(APIError.from(error))
        }
    }

    static func response(_ error: APIError) -> Response {
        MatchServer.textResponse(error.json.render(), type: "application/json; charset=utf-8", status: HTTPResponse.Status(code: error.status))
    }
}

/// One JSON line per request on standard error: `{"time", "method", "path", "status", "ms"}`.
struct RequestLog: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 500
        defer {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let line = JSON.object([("time", .string(Date().ISO8601Format())),
                                    ("method", .string(request.method.rawValue)), ("path", .string(request.uri.path)),
                                    ("status", .int(status)), ("ms", .number((ms * 100).rounded() / 100))]).render(pretty: false)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let response = try await next(request, context)
        status = Int(response.status.code)
        return response
    }
}
