import Foundation

/// What a finished child process left: its exit status and everything it wrote.
public struct RunResult: Sendable {
    public let status: Int32
    public let stdoutData: Data
    public let stderrData: Data
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
}

public enum RunError: Error, CustomStringConvertible {
    case binaryNotFound(name: String, searched: [String])
    case timedOut(command: [String], seconds: Double, stderr: String)

    public var description: String {
        switch self {
        case let .binaryNotFound(name, searched):
            return "\(name) not found; looked in \(searched.joined(separator: ", ")) (is the executable target a dependency of the test target?)"
        case let .timedOut(command, seconds, stderr):
            return "\(command.joined(separator: " ")) did not finish within \(seconds) s and was stopped; stderr: \(stderr)"
        }
    }
}

/// The repository root (this file is `Tests/TwinMatchTestSupport/Process.swift`).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// An executable of this package, built beside the test bundle (`.build/<triple>/debug/`).
public func builtExecutable(_ name: String) throws -> URL {
    var folders: [URL] = []
    for start in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
        var dir = start
        for _ in 0..<3 {
            if !folders.contains(dir) { folders.append(dir) }
            dir = dir.deletingLastPathComponent()
        }
    }
    for dir in folders {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw RunError.binaryNotFound(name: name, searched: folders.map(\.path))
}

/// The built `twinmatch` binary.
public func twinmatchBinary() throws -> URL { try builtExecutable("twinmatch") }

/// Runs `executable` with `arguments`, the test's environment with `environment` laid over it, and
/// `stdin` as its standard input (none: `/dev/null`). Both output streams are read at the same time,
/// so a child that fills one of them while the other is unread cannot block. A child still running
/// after `timeout` seconds is stopped and `RunError.timedOut` thrown.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
                       currentDirectory: URL? = nil, timeout: Double = 600) throws -> RunResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }

    // Standard input from a file: nothing to write while the child runs, and no broken pipe if it never reads.
    var inputFile: URL?
    if let stdin {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("twinmatch-stdin-\(UUID().uuidString)")
        try stdin.write(to: url)
        inputFile = url
        process.standardInput = try FileHandle(forReadingFrom: url)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }

    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()

    final class Sink: @unchecked Sendable { var data = Data() }
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }
    let errSink = Sink()
    let reading = DispatchGroup()
    let errHandle = err.fileHandleForReading
    DispatchQueue.global().async(group: reading) { errSink.data = errHandle.readDataToEndOfFile() }

    let stopped = Flag()
    let watchdog = DispatchWorkItem {
        guard process.isRunning else { return }
        stopped.set()
        process.terminate()
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)

    let outData = out.fileHandleForReading.readDataToEndOfFile()
    reading.wait()
    process.waitUntilExit()
    watchdog.cancel()
    if stopped.isSet {
        throw RunError.timedOut(command: [executable.lastPathComponent] + arguments, seconds: timeout,
                                stderr: String(decoding: errSink.data, as: UTF8.self))
    }
    return RunResult(status: process.terminationStatus, stdoutData: outData, stderrData: errSink.data)
}

/// Runs the built `twinmatch` with `arguments` (see `runProcess`).
public func runTwinmatch(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
                         currentDirectory: URL? = nil, timeout: Double = 600) throws -> RunResult {
    try runProcess(try twinmatchBinary(), arguments, environment: environment, stdin: stdin,
                   currentDirectory: currentDirectory, timeout: timeout)
}
