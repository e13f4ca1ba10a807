import ArgumentParser
import Foundation
import TwinMatchCore
import TwinMatchServer

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the JSON API and the web page: search a city, pick a mode and filters, see the shortlist with its reasons and a map.",
        discussion: """
        Loads the corpus and the model once and answers concurrent requests: GET /v1/cities?q=, /v1/cities/{id}, /v1/cities/{id}/recommendations (recommend's options as query parameters), /v1/cities/{id}/revival, /v1/pairs/{a}/{b}, /v1/vocabulary, /v1/health and POST /v1/consortium; /openapi.json describes them and / is the page. Each request is logged as one JSON line on standard error. SIGINT or SIGTERM stop it once the requests in flight are answered. It listens on the loopback address unless --host says otherwise.

        Example: twinmatch serve --port 8080
        """)

    @OptionGroup var data: ProfileOptions
    @OptionGroup var learned: ModelOptions
    @Option(help: "The address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: a free one, printed at start).") var port = 8080
    @Option(help: "Worker threads of one ranking (default 1: concurrent requests use the cores).") var threads = 1
    @Flag(help: "Do not log each request.") var quiet = false

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let started = Date()
        // Concurrent requests use the cores; one ranking's BLAS call stays on its thread.
        BLAS.threads = threads
        let corpus = try data.load()
        let known = try learned.known.load(corpus)
        let loaded = try learned.ranker(corpus, known: known, weights: GroupWeights(), search: SearchOptions(threads: threads))
        // A request ranks one city: the learned model reads only the candidate blocks that can reach its list.
        let ranker: any Ranker = (loaded as? ModelRanker)?.withCandidateBlocks() ?? loaded
        let service = MatchService(corpus: corpus, ranker: ranker, known: known, areas: try Areas.read(directory: Shipped.reference),
                                   outlines: try Shipped.countryOutlines(), datasetName: data.index ?? data.profiles ?? "default (datasets/world.idx)",
                                   modelName: learned.content ? "content similarity" : learned.modelName)
        let (host, quiet) = (host, quiet)
        do {
            try blocking {
                try await MatchServer.run(service, host: host, port: port, log: !quiet) { host, port in
                    let seconds = Date().timeIntervalSince(started)
                    note("twinmatch serve: \(corpus.count) places, listening on http://\(host):\(port)/ (ready in \(String(format: "%.2f", seconds)) s)")
                }
            }
        } catch let error as ClassifiedError {
            throw error
        } catch {
            // The socket could not be bound: the address or port must change.
            let why = "\(error)".contains("in use") ? "the port is in use (another server?); give another --port, or --port 0 for a free one"
                : "\(error)".contains("UnknownHost") ? "no such host; give an address such as 127.0.0.1" : "\(error)"
            throw OptionError("\(error)".contains("UnknownHost") ? "--host" : "--port", "cannot listen on \(host):\(port): \(why)")
        }
        note("twinmatch serve: stopped")
    }
}

/// Runs `work` to its end on the concurrency runtime while this thread waits.
func blocking(_ work: @escaping @Sendable () async throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    let failure = Locked<(any Error)?>(nil)
    Task {
        do { try await work() } catch { failure.withLock { $0 = error } }
        done.signal()
    }
    done.wait()
    if let error = failure.withLock({ $0 }) { throw error }
}
