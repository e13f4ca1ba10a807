import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TwinMatchCore
import TwinMatchTestSupport
import XCTest

/// A real `twinmatch serve` on a free loopback port, over the default dataset, and a small HTTP client.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private(set) var base = URL(fileURLWithPath: "/")
    private let errPipe = Pipe()
    private let errText = Locked("")

    /// Starts the server and waits (at most `timeout` s) for its "listening on" line. A debug build takes
    /// about a minute to open the world index and build its candidate blocks on a slow 2-core machine.
    init(arguments: [String] = [], timeout: Double = 300) throws {
        let index = repositoryRoot.appendingPathComponent("datasets/world.idx").path
        guard FileManager.default.fileExists(atPath: index) else { throw XCTSkip("the default dataset is not built (scripts/setup.sh)") }
        process.executableURL = try twinmatchBinary()
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let listening = DispatchSemaphore(value: 0)
        let found = Locked<URL?>(nil)
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self, !chunk.isEmpty else { return }
            let text = self.errText.withLock { $0 += String(decoding: chunk, as: UTF8.self); return $0 }
            if found.withLock({ $0 }) == nil, let range = text.range(of: #"listening on (http://[^ ]+/)"#, options: .regularExpression) {
                found.withLock { $0 = URL(string: text[range].replacingOccurrences(of: "listening on ", with: "")) }
                listening.signal()
            }
        }
        try process.run()
        guard listening.wait(timeout: .now() + timeout) == .success, let url = found.withLock({ $0 }) else {
            process.terminate()
            throw NSError(domain: "ServerProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(stderr)"])
        }
        base = url
    }

    var stderr: String { errText.withLock { $0 } }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
    }

    /// A request; `path` may carry a query (it is sent as written).
    func request(_ path: String, method: String = "GET", body: Data? = nil, contentType: String? = "application/json", timeout: Double = 60) throws -> Answer {
        guard let url = URL(string: path, relativeTo: base) else { throw NSError(domain: "ServerProcess", code: 2) }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        if body != nil, let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        let result = Locked<Result<Answer, any Error>?>(nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
                result.withLock { $0 = .success(Answer(status: http.statusCode, headers: headers, body: data ?? Data())) }
            } else {
                result.withLock { $0 = .failure(error ?? NSError(domain: "ServerProcess", code: 3)) }
            }
            done.signal()
        }.resume()
        done.wait()
        guard let answer = result.withLock({ $0 }) else { throw NSError(domain: "ServerProcess", code: 4) }
        return try answer.get()
    }

    /// Sends SIGTERM and waits for the process to end; its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        errPipe.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
