import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import TwinMatchTestSupport

/// `twinmatch report`: a self-contained HTML page of a shortlist, written atomically.
final class ReportCLITests: XCTestCase {
    /// On small profiles: the page is written, parses, holds one marker and one table row per candidate and
    /// says what was asked; standard error says where it went.
    func testWritesThePage() throws {
        let profiles = temporaryFile(sampleCSV)
        let out = temporaryDirectory().appendingPathComponent("annecy.html").path
        let r = try runTwinmatch(["report", "--profiles", profiles, "--city", "Annecy", "--limit", "3", "--no-known-pairs",
                                  "--max-km", "5000", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "", "the page goes to the file only")
        XCTAssertTrue(r.stderr.contains("wrote \(out): 3 candidates for Annecy"), r.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        let root = try XCTUnwrap(try XMLDocument(xmlString: html, options: []).rootElement())
        XCTAssertEqual(try root.nodes(forXPath: "//h1").first?.stringValue, "Partners for Annecy")
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='candidate']").count, 3)
        XCTAssertEqual(try root.nodes(forXPath: "//table[@class='shortlist']/tbody/tr").count, 3)
        let asked = try root.nodes(forXPath: "//dl[@class='facts']/dd").compactMap(\.stringValue)
        XCTAssertTrue(asked.contains { $0.contains("are outside France") && $0.contains("are within 5,000 km") }, "\(asked)")
        XCTAssertTrue(asked.contains { $0.hasPrefix("twinmatch report --profiles") && $0.contains("--max-km 5000") }, "the command: \(asked)")
        XCTAssertTrue(asked.contains("the profiles' own; Annecy has 1 known partner, never proposed"), "\(asked)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: out).deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["annecy.html"], "no temporary file left beside it")
    }

    /// No --out, a missing folder, a folder as the file: usage errors before any ranking; a path that cannot
    /// be written at the end: an error, and no file, not even a partial one.
    func testBadOutIsAnError() throws {
        let profiles = temporaryFile(sampleCSV)
        let missing = try runTwinmatch(["report", "--profiles", profiles, "--city", "Annecy"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("--out"), missing.stderr)

        let folder = temporaryDirectory()
        let nowhere = folder.appendingPathComponent("no/such/folder/a.html").path
        let r = try runTwinmatch(["report", "--profiles", profiles, "--city", "Annecy", "--out", nowhere])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--out \(nowhere): the folder \(folder.path)/no/such/folder does not exist"), r.stderr)

        let asFolder = try runTwinmatch(["report", "--profiles", profiles, "--city", "Annecy", "--out", folder.path])
        XCTAssertEqual(asFolder.status, 64)
        XCTAssertTrue(asFolder.stderr.contains("is a folder"), asFolder.stderr)

        let empty = try runTwinmatch(["report", "--profiles", profiles, "--city", "Annecy", "--out", ""])
        XCTAssertEqual(empty.status, 64)
        XCTAssertTrue(empty.stderr.contains("--out needs a file name"), empty.stderr)

        // /proc takes no new files, even from root: the write itself fails.
        if FileManager.default.fileExists(atPath: "/proc/self") {
            let refused = try runTwinmatch(["report", "--profiles", profiles, "--city", "Annecy", "--out", "/proc/twinmatch-report.html"])
            XCTAssertEqual(refused.status, 73, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("/proc/twinmatch-report.html: cannot create the output"), refused.stderr)
            XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: "/proc").contains { $0.contains("twinmatch-report") })
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing written anywhere")

        let unknown = try runTwinmatch(["report", "--profiles", profiles, "--city", "Atlantis", "--out", folder.appendingPathComponent("x.html").path])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no city named 'Atlantis'"), unknown.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no page for an unknown city")
    }

    /// The README's example on the default dataset: Annecy's ten candidates on a map cropped to them, and
    /// --help ends with the example.
    func testAnnecyOnTheDefaultDataset() throws {
        let out = temporaryDirectory().appendingPathComponent("annecy.html").path
        let r = try runTwinmatch(["report", "--city", "Annecy", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        let root = try XCTUnwrap(try XMLDocument(xmlString: html, options: []).rootElement())
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='candidate']").count, 10)
        XCTAssertEqual(try root.nodes(forXPath: "//svg//path[@class='country home']/title").first?.stringValue, "France")
        XCTAssertTrue(try root.nodes(forXPath: "//figcaption").first?.stringValue?.contains("The region of these places") == true, "cropped")
        let names = try root.nodes(forXPath: "//table[@class='shortlist']/tbody/tr/td[@class='place']/strong").compactMap(\.stringValue)
        let json = try runTwinmatch(["recommend", "--city", "Annecy", "--format", "json"])
        let results = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        XCTAssertEqual(names, results.compactMap { $0["name"] as? String }, "the same list as recommend")

        let help = try runTwinmatch(["report", "--help"])
        XCTAssertEqual(help.status, 0)
        let discussion = try XCTUnwrap(help.stdout.components(separatedBy: "USAGE:").first)
        XCTAssertTrue(discussion.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("Example: twinmatch report --city Annecy --out annecy.html"), help.stdout)
    }

    /// In a real browser (headless Chromium, when installed): scripts/render-report.sh makes a PNG of the
    /// page at the size asked, with something drawn on it.
    func testRendersInChromium() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let browsers = path.split(separator: ":").flatMap { dir in ["chromium", "chromium-browser"].map { "\(dir)/\($0)" } }
        guard browsers.contains(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("chromium is not on PATH (apt-get install chromium)")
        }
        let folder = temporaryDirectory()
        let page = folder.appendingPathComponent("annecy.html").path, png = folder.appendingPathComponent("annecy.png").path
        let r = try runTwinmatch(["report", "--profiles", temporaryFile(sampleCSV), "--city", "Annecy", "--no-known-pairs", "--out", page])
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = repositoryRoot.appendingPathComponent("scripts/render-report.sh")
        let render = try runProcess(URL(fileURLWithPath: "/bin/bash"), [script.path, page, png, "800", "600"], timeout: 120)
        XCTAssertEqual(render.status, 0, render.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        let word = { (at: Int) in data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual([word(16), word(20)], [800, 600], "the size asked")
        XCTAssertGreaterThan(data.count, 20_000, "a page with a map and text, not a blank screen (\(data.count) bytes)")

        let bad = try runProcess(URL(fileURLWithPath: "/bin/bash"), [script.path, folder.appendingPathComponent("none.html").path, png])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("no such file"), bad.stderr)
    }

    /// consortium and revive write their page with --report: a whole document with the map and the members.
    func testConsortiumAndReviveWritePages() throws {
        let dir = temporaryDirectory(prefix: "pages")
        for (args, expected) in [(["consortium", "--city", "Annecy", "--size", "4"], "A consortium for Annecy"),
                                 (["revive", "--city", "Annecy"], "Reviving the partnerships of Annecy")] {
            let path = dir.appendingPathComponent(args[0] + ".html").path
            let r = try runTwinmatch(args + ["--report", path])
            XCTAssertEqual(r.status, 0, r.stderr)
            let page = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(page.contains(expected) && page.contains("<svg") && page.hasSuffix("</html>\n"), args[0])
            XCTAssertFalse(page.contains("src=\"http") || page.contains("href=\"http"), "nothing fetched from elsewhere")
            let bad = try runTwinmatch(args + ["--report", dir.path])
            XCTAssertEqual(bad.status, 64, bad.stderr)
            XCTAssertTrue(bad.stderr.contains("is a folder"), bad.stderr)
        }
    }
}
