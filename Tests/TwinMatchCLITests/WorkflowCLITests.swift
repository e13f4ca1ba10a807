import Foundation
import XCTest
import TwinMatchTestSupport

/// `consortium` and `revive` as a person runs them: output forms, the notice of a city without partners,
/// and a usage error (exit 64) naming the option for each request that cannot be met.
final class WorkflowCLITests: XCTestCase {
    /// A lead town in Slovenia, partnered with two places, and 36 places in Austria, Italy and Germany of
    /// every size (the largest over 250,000), near it and farther off; a town in Croatia without partners.
    static let profiles: String = {
        var lines = ["id,name,country,region,lat,lon,population,languages,themes,offers,seeks,migration_links,networks,partners",
                     "1,Leadtown,SI,01,46.0,14.0,6000,sl,youth;tourism,culture-heritage,energy-transition,,alpine-pearls,2;3",
                     "2,Oldpartner,AT,02,47.0,15.0,30000,de,youth,,,,alpine-pearls,",
                     "3,Faraway,JP,03,35.0,139.0,9000,ja,,,,,,",
                     "4,Lonely,HR,04,45.0,15.5,12000,hr,tourism,,,,,"]
        let countries = [("AT", 47.2, 13.0, "de"), ("IT", 45.8, 12.0, "it"), ("DE", 48.5, 11.0, "de")]
        let sizes = [5_000, 20_000, 60_000, 120_000, 300_000, 900_000]
        let themes = ["youth", "tourism", "energy-transition", "culture-heritage", "circular-economy", "mobility"]
        for i in 0..<36 {
            let (c, lat, lon, language) = countries[i % 3]
            let theme = themes[i % themes.count], offer = themes[(i + 2) % themes.count]
            lines.append("\(10 + i),Place\(i),\(c),0\(i % 4),\(lat + Double(i % 6) * 0.3),\(lon + Double(i / 6) * 0.4),\(sizes[(i / 3) % sizes.count]),\(language),\(theme),\(offer),,,\(i % 2 == 0 ? "alpine-pearls" : ""),")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    func run(_ arguments: [String]) throws -> RunResult {
        try runTwinmatch(arguments + ["--profiles", temporaryFile(Self.profiles), "--no-known-pairs"])
    }

    func json(_ r: RunResult) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any], r.stdout)
    }

    func testConsortiumForms() throws {
        let r = try run(["consortium", "--city", "Leadtown", "--size", "5", "--min-countries", "4", "--mixed-sizes", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let parsed = try json(r)
        XCTAssertEqual(parsed["schema_version"] as? Int, 2)
        let members = try XCTUnwrap(parsed["members"] as? [[String: Any]])
        XCTAssertEqual(members.count, 5)
        let countries = Set(members.compactMap { $0["country"] as? String } + ["SI"])
        XCTAssertEqual(countries.count, 4, "SI and the three others")
        XCTAssertEqual(Set(members.compactMap { $0["size_band"] as? String } + ["small"]), ["small", "medium", "large"])
        XCTAssertFalse(members.contains { $0["name"] as? String == "Oldpartner" }, "a partner is never a member")
        XCTAssertNotNil((parsed["summary"] as? [String: Any])?["networks"])
        XCTAssertEqual((parsed["rules"] as? [String: Any])?["worldwide"] as? Bool, false)
        let table = try run(["consortium", "--city", "Leadtown", "--size", "5", "--min-countries", "4"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("Consortium for Leadtown (SI, id 1, population 6,000): 5 members, 6 cities in"), table.stdout)
        XCTAssertTrue(table.stdout.contains("the group (Leadtown and its 5 members):"), table.stdout)
        let csv = try run(["consortium", "--city", "Leadtown", "--size", "3", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 4)
        XCTAssertTrue(csv.stdout.hasPrefix("rank,id,name,country,region,lat,lon,population,distance_km,size_band,score,standing,cohesion"), csv.stdout)
    }

    /// Each request that cannot be met: exit 64, no output, a message naming the option.
    func testConsortiumUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--size", "1"], "--size must be between 2 and 20"),
            (["--size", "21"], "--size must be between 2 and 20"),
            (["--size", "12", "--max-km", "120"], "--size 12 asks for 12 members, but only"),
            (["--size", "3", "--max-km", "1"], "--size 3 asks for 3 members, but no candidate passes the filters in Europe (--worldwide lifts this); no candidate for Leadtown"),
            (["--size", "4", "--min-countries", "6"], "--min-countries must be between 1 and 5"),
            (["--size", "5", "--min-countries", "6"], "--min-countries 6: Leadtown and its 37 best candidates under the filters are in only 5 countries (AT, DE, HR, IT and SI)"),
            (["--size", "4", "--mixed-sizes", "--max-population", "200000"], "--mixed-sizes needs a large (250,000 and more) city"),
            (["--size", "6", "--candidate-country", "AT"], "at most 3 cities of one country"),
            (["--size", "4", "--cohesion=-1"], "--cohesion must be a non-negative number"),
            (["--size", "4", "--pool", "2"], "--pool must be between --size (4) and 2,000"),
            ([], "Missing expected argument '--size <size>'"),
        ]
        for (arguments, message) in cases {
            let r = try run(["consortium", "--city", "Leadtown"] + arguments)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(arguments)")
            XCTAssertTrue(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }

    func testReviveFormsAndTheNoticeOfACityWithoutPartners() throws {
        let r = try run(["revive", "--city", "Leadtown", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let parsed = try json(r)
        XCTAssertEqual(parsed["schema_version"] as? Int, 2)
        let partnerships = try XCTUnwrap(parsed["partnerships"] as? [[String: Any]])
        XCTAssertEqual(partnerships.map { $0["name"] as? String }, ["Oldpartner", "Faraway"])
        XCTAssertEqual(partnerships[0]["modern_topics"] as? [String], ["youth"])
        XCTAssertTrue(partnerships[0]["no_longer_fits"] is NSNull)
        XCTAssertTrue((partnerships[1]["no_longer_fits"] as? String)?.hasPrefix("nothing shared now") == true, "\(partnerships[1])")
        XCTAssertNil(parsed["notice"])

        let table = try run(["revive", "--city", "Lonely"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stderr.hasPrefix("notice: Lonely has no known partner"), table.stderr)
        XCTAssertTrue(table.stderr.contains("twinmatch recommend --id 4"), table.stderr)
        XCTAssertTrue(table.stdout.contains("none to revive"), table.stdout)
        let empty = try run(["revive", "--city", "Lonely", "--format", "json"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stderr, "", "JSON carries the notice itself")
        let notice = try json(empty)
        XCTAssertTrue((notice["notice"] as? String)?.hasPrefix("Lonely has no known partner") == true)
        XCTAssertEqual((notice["partnerships"] as? [Any])?.count, 0)
        let csv = try run(["revive", "--city", "Leadtown", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 3)
    }

    /// Each new command's help ends with a real example line.
    func testHelpEndsWithAnExample() throws {
        for command in ["consortium", "revive"] {
            let r = try runTwinmatch([command, "--help"])
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.stdout.contains("Example: twinmatch \(command) --city "), r.stdout)
        }
    }
}
