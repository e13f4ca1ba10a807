import Foundation
import XCTest
import TwinMatchCore
import TwinMatchTestSupport

/// SIGINT and SIGTERM end a command with 130 and 143 and leave no unfinished output behind.
final class InterruptCLITests: XCTestCase {
    func testSignalsEndWithTheirStatusAndLeaveNoTemporaryFile() throws {
        guard FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("datasets/world.idx").path) else {
            throw XCTSkip("the default dataset is not built (scripts/setup.sh)")
        }
        for (send, status) in [({ (p: Process) in p.interrupt() }, Int32(130)), ({ (p: Process) in p.terminate() }, Int32(143))] {
            let dir = temporaryDirectory()
            let process = Process()
            process.executableURL = try twinmatchBinary()
            // Every city of the world dataset: minutes of work, so the signal comes mid-way.
            process.arguments = ["batch", "--k", "10", "--out", dir.appendingPathComponent("all.csv").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: 3)
            XCTAssertTrue(process.isRunning, "the batch ended before the signal")
            send(process)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, status)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing left in the output folder")
        }
    }

    /// The same while the output is being written: a quick search of many rows with a long output, and
    /// the signal once the temporary output has started to grow.
    func testSignalsDuringTheWriteLeaveNothingBehind() throws {
        var rng = SeededGenerator(seed: 8)
        let input = temporaryDirectory()
        let npy = input.appendingPathComponent("x.npy").path
        try NPY.write(randomMatrix(rows: 12_000, cols: 4, using: &rng), to: npy)
        for (send, status) in [({ (p: Process) in p.interrupt() }, Int32(130)), ({ (p: Process) in p.terminate() }, Int32(143))] {
            let dir = temporaryDirectory()
            let process = Process()
            process.executableURL = try twinmatchBinary()
            // 3.6 million lines: seconds of writing.
            process.arguments = ["batch", "--vectors", npy, "--k", "300", "--out", dir.appendingPathComponent("all.csv").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(300)
            var writing = false
            while process.isRunning && Date() < deadline && !writing {
                let temps = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
                writing = temps.contains { name in
                    let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.size] as? Int) ?? 0
                    return name.hasPrefix(".all.csv.tmp-") && size > 1 << 20
                }
                if !writing { Thread.sleep(forTimeInterval: 0.01) }
            }
            XCTAssertTrue(writing && process.isRunning, "the batch was not caught writing")
            send(process)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, status)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing left in the output folder")
        }
    }

    func testUnfinishedTemporaryFilesAreRemovedAndCommittedOnesKept() throws {
        let dir = temporaryDirectory()
        let kept = dir.appendingPathComponent("kept.csv").path, dropped = dir.appendingPathComponent("dropped.csv").path
        try AtomicFile.write(Data("a\n".utf8), to: kept)
        let temp = AtomicFile.temporaryPath(for: dropped)
        XCTAssertTrue(FileManager.default.createFile(atPath: temp, contents: Data("half".utf8)))
        AtomicFile.removeUnfinished()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["kept.csv"])
    }
}
