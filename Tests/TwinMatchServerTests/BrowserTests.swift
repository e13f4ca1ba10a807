import Foundation
import TwinMatchTestSupport
import XCTest

/// The page in a real browser: `scripts/browser-test.py` drives headless Chromium through chromedriver over
/// a real `twinmatch serve` (typing a city, taking a suggestion, the shortlist, the map, a pair, the CSV, a
/// phone width, markup shown as text) and saves screenshots. Skipped where Chromium or its driver is missing.
final class BrowserTests: XCTestCase {
    func testThePageWorksInHeadlessChromium() throws {
        guard FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("datasets/world.idx").path) else {
            throw XCTSkip("the default dataset is not built (scripts/setup.sh)")
        }
        let out = temporaryDirectory(prefix: "twinmatch-screens")
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let result = try runProcess(python, ["python3", repositoryRoot.appendingPathComponent("scripts/browser-test.py").path, try twinmatchBinary().path, out.path],
                                    timeout: 300)
        if result.status == 77 { throw XCTSkip(result.stdout) }
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("0 failed"), result.stdout)
        for shot in ["serve-desktop.png", "serve-pair.png", "serve-phone.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(shot).path)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 10_000, shot)
        }
    }
}
