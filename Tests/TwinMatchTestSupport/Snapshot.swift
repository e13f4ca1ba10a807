import Foundation
import XCTest

/// Whether this run re-records snapshots instead of comparing with them: `RECORD_SNAPSHOTS=1`.
public var isRecordingSnapshots: Bool {
    let value = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] ?? ""
    return !value.isEmpty && value != "0"
}

/// Compares `actual` byte for byte with the file at `snapshot`. With `RECORD_SNAPSHOTS=1` the file is
/// written instead and the test fails, so that a recording run is never taken for a passing one.
public func assertSnapshot(_ actual: Data, matches snapshot: URL, file: StaticString = #filePath, line: UInt = #line) {
    let name = snapshot.lastPathComponent
    if isRecordingSnapshots {
        do {
            try FileManager.default.createDirectory(at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: snapshot, options: .atomic)
            XCTFail("recorded snapshot \(snapshot.path); run again without RECORD_SNAPSHOTS to compare", file: file, line: line)
        } catch {
            XCTFail("cannot record snapshot \(snapshot.path): \(error)", file: file, line: line)
        }
        return
    }
    guard let expected = FileManager.default.contents(atPath: snapshot.path) else {
        XCTFail("no snapshot \(snapshot.path); record it with RECORD_SNAPSHOTS=1", file: file, line: line)
        return
    }
    if expected != actual {
        XCTFail("output differs from snapshot \(name) (RECORD_SNAPSHOTS=1 re-records it):\n"
                + lineDiff(expected: String(decoding: expected, as: UTF8.self), actual: String(decoding: actual, as: UTF8.self)),
                file: file, line: line)
    }
}

public func assertSnapshot(_ actual: String, matches snapshot: URL, file: StaticString = #filePath, line: UInt = #line) {
    assertSnapshot(Data(actual.utf8), matches: snapshot, file: file, line: line)
}

/// The lines that differ, `-` expected and `+` actual, each with its line number in its own text (at most
/// `limit` of them).
public func lineDiff(expected: String, actual: String, limit: Int = 40) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var changes: [(line: Int, inserted: Bool, text: String)] = []
    for change in b.difference(from: a) {
        switch change {
        case let .remove(offset, element, _): changes.append((offset + 1, false, "- \(offset + 1) | \(element)"))
        case let .insert(offset, element, _): changes.append((offset + 1, true, "+ \(offset + 1) | \(element)"))
        }
    }
    if changes.isEmpty { return "(the same lines; the bytes differ, e.g. in line endings or encoding)" }
    changes.sort { ($0.line, $0.inserted ? 1 : 0) < ($1.line, $1.inserted ? 1 : 0) }
    var lines = changes.prefix(limit).map(\.text)
    if changes.count > limit { lines.append("… \(changes.count - limit) more") }
    return lines.joined(separator: "\n")
}
