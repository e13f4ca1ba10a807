import Foundation
import XCTest
import TwinMatchTestSupport

/// The README's examples, run on the embedded dataset (no `--profiles`) and compared byte for byte with
/// the files in `Snapshots/`. `RECORD_SNAPSHOTS=1 swift test --filter GoldenOutputTests` re-records them
/// (and fails, so that a recording run never passes); review the change with `git diff` before committing.
final class GoldenOutputTests: XCTestCase {
    struct Example {
        let arguments: [String]
        /// The snapshot's file name: `<name>.<ext>`.
        let snapshot: String
    }

    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static let examples = [
        Example(arguments: ["recommend", "--city", "Annecy", "--limit", "5"], snapshot: "recommend-annecy.txt"),
        Example(arguments: ["explain", "Annecy", "Bayreuth"], snapshot: "explain-annecy-bayreuth.txt"),
        Example(arguments: ["recommend", "--city", "Bergen", "--country", "NO", "--limit", "3", "--format", "json"], snapshot: "recommend-bergen.json"),
        Example(arguments: ["explain", "Annecy", "Bayreuth", "--format", "json"], snapshot: "explain-annecy-bayreuth.json"),
        Example(arguments: ["recommend", "--city", "Annecy", "--format", "csv", "--limit", "5"], snapshot: "recommend-annecy.csv"),
        Example(arguments: ["recommend", "--city", "Idrija", "--seeks", "youth", "--seeks", "circular-economy", "--limit", "5"], snapshot: "recommend-idrija-interests.txt"),
        Example(arguments: ["recommend", "--city", "Cuneo", "--candidate-country", "SN", "--limit", "5"], snapshot: "recommend-cuneo-senegal.txt"),
        Example(arguments: ["explain", "Cuneo", "Louga,SN"], snapshot: "explain-cuneo-louga.txt"),
        Example(arguments: ["recommend", "--city", "Bergen,NO", "--network", "intercultural-cities", "--limit", "5"], snapshot: "recommend-bergen-intercultural.txt"),
        Example(arguments: ["partners", "--city", "Annecy"], snapshot: "partners-annecy.txt"),
        Example(arguments: ["recommend", "--city", "Cuneo", "--mode", "diaspora", "--max-per-country", "2", "--limit", "8"], snapshot: "recommend-cuneo-diaspora.txt"),
        Example(arguments: ["recommend", "--city", "Idrija", "--mode", "complement", "--seeks", "energy-transition", "--max-per-country", "2", "--limit", "6"],
                snapshot: "recommend-idrija-complement.txt"),
        Example(arguments: ["recommend", "--city", "Annecy", "--mutual", "--limit", "5"], snapshot: "recommend-annecy-mutual.txt"),
        Example(arguments: ["recommend", "--city", "Annecy", "--diverse", "--limit", "6"], snapshot: "recommend-annecy-diverse.txt"),
        Example(arguments: ["recommend", "--city", "Annecy", "--candidate-group", "alpine-convention", "--mixed-sizes", "--max-per-country", "2", "--limit", "6"],
                snapshot: "recommend-annecy-alpine.txt"),
        Example(arguments: ["consortium", "--city", "Villach", "--size", "6", "--mixed-sizes", "--min-countries", "4", "--max-km", "500",
                            "--allow-same-country", "--candidate-country", "AT", "--candidate-country", "IT", "--candidate-country", "DE",
                            "--candidate-country", "FR", "--candidate-country", "CH", "--candidate-country", "SI"],
                snapshot: "consortium-villach-alpine.txt"),
        Example(arguments: ["revive", "--city", "Annecy"], snapshot: "revive-annecy.txt"),
    ]

    /// Runs an example from a directory of its own (the embedded dataset is found wherever it runs) and
    /// compares its standard output with its snapshot; it must succeed and write nothing to standard error.
    func check(_ snapshot: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let example = try XCTUnwrap(Self.examples.first { $0.snapshot == snapshot }, file: file, line: line)
        let r = try runTwinmatch(example.arguments, currentDirectory: temporaryDirectory(prefix: "golden"))
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr, "", file: file, line: line)
        assertSnapshot(r.stdoutData, matches: Self.snapshots.appendingPathComponent(snapshot), file: file, line: line)
    }

    func testRecommendAnnecyTable() throws { try check("recommend-annecy.txt") }

    func testExplainAnnecyBayreuthTable() throws { try check("explain-annecy-bayreuth.txt") }

    func testRecommendBergenJSON() throws { try check("recommend-bergen.json") }

    func testExplainAnnecyBayreuthJSON() throws { try check("explain-annecy-bayreuth.json") }

    func testRecommendAnnecyCSV() throws { try check("recommend-annecy.csv") }

    func testRecommendIdrijaWithStatedInterests() throws { try check("recommend-idrija-interests.txt") }

    func testRecommendCuneoInSenegal() throws { try check("recommend-cuneo-senegal.txt") }

    func testExplainCuneoLouga() throws { try check("explain-cuneo-louga.txt") }

    func testRecommendBergenInterculturalPeers() throws { try check("recommend-bergen-intercultural.txt") }

    func testPartnersOfAnnecy() throws { try check("partners-annecy.txt") }

    func testCuneoDiaspora() throws { try check("recommend-cuneo-diaspora.txt") }

    func testIdrijaEnergyMentors() throws { try check("recommend-idrija-complement.txt") }

    func testAnnecyMutual() throws { try check("recommend-annecy-mutual.txt") }

    func testAnnecyDiverse() throws { try check("recommend-annecy-diverse.txt") }

    func testAnnecyAlpineMixedSizes() throws { try check("recommend-annecy-alpine.txt") }

    func testAnAlpineConsortiumOfMixedSizes() throws { try check("consortium-villach-alpine.txt") }

    func testAnnecysPartnershipsUnderRevive() throws { try check("revive-annecy.txt") }

    /// An unknown city: exit status 64 (the option names no place), nothing on standard output, the closest matches on standard error.
    func testUnknownCityError() throws {
        let r = try runTwinmatch(["recommend", "--city", "Atlantisxyz"], currentDirectory: temporaryDirectory(prefix: "golden"))
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertEqual(r.stdout, "")
        assertSnapshot(r.stderrData, matches: Self.snapshots.appendingPathComponent("recommend-unknown-city.stderr"))
    }

    /// Every `$ twinmatch …` block of the README's examples is a snapshot's command, and shows its output
    /// (a block ending in `…` shows the output's beginning).
    func testReadmeExamplesMatchSnapshots() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var blocks: [String] = [], current: String?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let block = current { blocks.append(block) }
                current = current == nil ? "" : nil
            } else if current != nil {
                current! += line + "\n"
            }
        }
        let shown = blocks.filter { $0.hasPrefix("$ twinmatch ") }
        XCTAssertFalse(shown.isEmpty, "no `$ twinmatch` example found in README.md")
        for block in shown {
            let firstLine = block.prefix { $0 != "\n" }
            let command = String(firstLine.dropFirst("$ twinmatch ".count))
            let body = String(block.dropFirst(firstLine.count + 1))
            guard let example = Self.examples.first(where: { $0.arguments.joined(separator: " ") == command }) else {
                XCTFail("README example `twinmatch \(command)` has no snapshot: add it to GoldenOutputTests.examples")
                continue
            }
            guard let data = FileManager.default.contents(atPath: Self.snapshots.appendingPathComponent(example.snapshot).path) else {
                XCTFail("no snapshot \(example.snapshot)")
                continue
            }
            let output = String(decoding: data, as: UTF8.self)
            if body.hasSuffix("…\n") {
                let start = String(body.dropLast("…\n".count)).trimmingCharacters(in: .whitespaces)
                XCTAssertTrue(output.hasPrefix(start), "README example `twinmatch \(command)` is not the beginning of \(example.snapshot):\n"
                              + lineDiff(expected: start, actual: String(output.prefix(start.count))))
            } else {
                XCTAssertEqual(body, output, "README example `twinmatch \(command)` differs from \(example.snapshot):\n"
                               + lineDiff(expected: body, actual: output))
            }
        }
    }
}
