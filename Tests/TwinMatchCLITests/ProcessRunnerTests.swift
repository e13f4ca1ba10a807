import Foundation
import XCTest
import TwinMatchTestSupport

/// The runner every CLI test uses: both output streams, standard input, environment and a time limit.
final class ProcessRunnerTests: XCTestCase {
    let shell = URL(fileURLWithPath: "/bin/sh")

    /// Far more than a pipe holds on each stream, the larger one second: neither can block the child.
    func testLargeOutputOnBothStreams() throws {
        let r = try runProcess(shell, ["-c", "head -c 200000 /dev/zero | tr '\\0' o; head -c 500000 /dev/zero | tr '\\0' e >&2; exit 3"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdoutData.count, 200_000)
        XCTAssertEqual(r.stderrData.count, 500_000)
        XCTAssertTrue(r.stderrData.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    func testStandardInputEnvironmentAndDirectory() throws {
        let dir = temporaryDirectory(prefix: "runner")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runProcess(shell, ["-c", "cat; printf ' %s ' \"$RUNNER_TEST_VALUE\"; pwd"], environment: ["RUNNER_TEST_VALUE": "set"],
                               stdin: Data("typed".utf8), currentDirectory: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "typed set \(dir.resolvingSymlinksInPath().path)\n")
        // Without standard input the child reads an empty one instead of waiting for the test's own.
        XCTAssertEqual(try runProcess(shell, ["-c", "cat"]).stdout, "")
    }

    func testTimeLimitStopsTheChild() throws {
        let start = Date()
        XCTAssertThrowsError(try runProcess(shell, ["-c", "exec sleep 30"], timeout: 1)) { error in
            guard case RunError.timedOut = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    func testTheBuiltBinaryIsFound() throws {
        let r = try runTwinmatch(["--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("recommend"), r.stdout)
    }
}
