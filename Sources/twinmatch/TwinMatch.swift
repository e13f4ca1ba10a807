import ArgumentParser
import Foundation
import TwinMatchCore

@main
struct TwinMatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twinmatch",
        abstract: "Find partner cities: peers, complementary partners, migration links, modern topics.",
        version: versionText,
        subcommands: [Recommend.self, Explain.self, Partners.self, Report.self, ConsortiumCommand.self, ReviveCommand.self, Serve.self, Batch.self, Merge.self, Embed.self, Index.self, Bench.self, Dataset.self, Fit.self, Evaluate.self, SplitPairs.self, CrossValidate.self]
    )

    static var versionText: String {
        "twinmatch \(TwinMatchVersion.string)\nBLAS: \(BLASRuntime.summary)\nCPU: \(BLASRuntime.cpuModel())"
    }

    static func main() {
        BLASRuntime.ensureFastKernels()
        do {
            var command = try parseAsRoot(nil)
            // The server stops gracefully on its own signal handlers (in-flight requests finish).
            if !(command is Serve) { handleInterrupts() }
            try command.run()
        } catch {
            fail(error)
        }
    }

    /// The signal sources; kept for the life of the process.
    nonisolated(unsafe) static var interruptSources: [DispatchSourceSignal] = []

    /// SIGINT and SIGTERM end the process with 130 and 143 (README, Exit codes) after deleting unfinished
    /// outputs, so an interrupted command leaves no temporary file behind.
    static func handleInterrupts() {
        for (sig, kind) in [(SIGINT, FailureKind.interrupted), (SIGTERM, FailureKind.terminated)] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global(qos: .userInteractive))
            source.setEventHandler {
                AtomicFile.removeUnfinished()
                FileHandle.standardError.write(Data("\ninterrupted\n".utf8))
                Foundation.exit(kind.rawValue)
            }
            source.resume()
            interruptSources.append(source)
        }
    }

    /// Ends the process for `error`, with one exit status per kind of failure (README, Exit codes): the
    /// argument parser's own errors (usage 64, help and version 0) as it reports them, every other error
    /// with its `FailureKind`.
    static func fail(_ error: Error) -> Never {
        guard let kind = failureKind(error) else { exit(withError: error) }
        FileHandle.standardError.write(Data("Error: \(terminalSafe("\(error)"))\n".utf8))
        Foundation.exit(kind.rawValue)
    }

    /// The kind of a failure the core or the tool reports; nil for the argument parser's own errors.
    static func failureKind(_ error: Error) -> FailureKind? {
        switch error {
        case let classified as ClassifiedError: return classified.kind
        case is DecodingError: return .data
        case is ValidationError, is ExitCode, is CleanExit: return nil
        default:
            if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return nil }
            return .software
        }
    }
}
