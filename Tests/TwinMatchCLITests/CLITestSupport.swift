import Foundation
import XCTest

/// The built `twinmatch` binary, beside the test bundle.
func twinmatchBinary() throws -> URL {
    var dir = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("twinmatch")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    throw XCTSkip("twinmatch binary not found near \(Bundle.main.bundleURL.path)")
}

struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `twinmatch` with `arguments` (and extra environment), capturing its output.
func runTwinmatch(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
    let process = Process()
    process.executableURL = try twinmatchBinary()
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Standard error goes to a file so that a large output on either stream cannot block the child.
    _ = err
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory.
func temporaryDirectory() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twinmatch-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// The repository root (for the embedded dataset).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
