import Foundation
import XCTest
import TwinMatchTestSupport

/// Names as people type them, through the command line.
final class NamesCLITests: XCTestCase {
    static let profiles = """
    id,name,country,region,lat,lon,population,alternate_names,languages
    1,Munich,DE,02,48.137,11.575,1505005,München;Muenchen,de
    2,Turin,IT,12,45.070,7.686,847287,Torino,it
    3,Vienna,AT,09,48.208,16.372,1691468,Wien,de
    4,Vienna,US,VA,38.901,-77.265,16522,,en
    5,Frankfurt am Main,DE,05,50.116,8.684,650000,Frankfurt,de
    6,Frankfurt (Oder),DE,11,52.347,14.551,57107,Frankfurt,de
    7,Bristol,GB,ENG,51.455,-2.597,479024,,en
    8,Bristol,US,CT,41.672,-72.949,60452,,en
    9,London,GB,ENG,51.508,-0.126,8961989,,en

    """

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let path = temporaryDirectory().appendingPathComponent("names.csv").path
        try Self.profiles.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runTwinmatch(["recommend", "--profiles", path, "--limit", "2", "--format", "csv", "--content", "--no-known-pairs"] + arguments)
        return (r.status, r.stdout, r.stderr)
    }

    func testAlternateAndFoldedNames() throws {
        for (typed, name) in [("München", "Munich"), ("Muenchen", "Munich"), ("MUNCHEN", "Munich"), ("Torino", "Turin"), ("wien", "Vienna")] {
            let r = try run(["--city", typed, "--allow-same-country"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stderr, "", typed)
            XCTAssertFalse(r.stdout.contains(",\(name),"), "the city itself is never a candidate: \(r.stdout)")
        }
        let vienna = try run(["--city", "Vienna"])
        XCTAssertEqual(vienna.status, 0, vienna.stderr)
        XCTAssertEqual(vienna.stderr, "note: 'Vienna' taken as Vienna (AT), id 3, the largest of 2 places of that name; use --country or --id for another\n")
    }

    func testNameWithCountryAndCountryCodesPeopleWrite() throws {
        let frankfurt = try run(["--city", "Frankfurt,DE"])
        XCTAssertEqual(frankfurt.status, 0, frankfurt.stderr)
        XCTAssertTrue(frankfurt.stderr.contains("taken as Frankfurt am Main (DE), id 5, the largest of 2 places"), frankfurt.stderr)
        let uk = try run(["--city", "Bristol", "--country", "UK"])
        XCTAssertEqual(uk.status, 0, uk.stderr)
        XCTAssertEqual(uk.stderr, "note: country UK taken as GB, its ISO 3166-1 code\n")
        let fr = try run(["--city", "Bristol", "--country", "FR"])
        XCTAssertEqual(fr.status, 64)
        XCTAssertEqual(fr.stdout, "")
        XCTAssertEqual(fr.stderr, """
        Error: no city named 'Bristol' in FR; places of that name in other countries (use their code with --country):
          Bristol (GB, region ENG with London), id 7, population 479024
          Bristol (US, Connecticut), id 8, population 60452

        """)
        let named = try run(["--city", "Bristol", "--country", "England"])
        XCTAssertEqual(named.status, 64)
        XCTAssertEqual(named.stderr, "Error: 'England' is not an ISO 3166-1 alpha-2 country code\n")
    }

    /// The embedded default carries GeoNames' alternate names.
    func testEmbeddedDefaultKnowsNamesPeopleType() throws {
        for (typed, id) in [("München", "2867714"), ("Torino", "3165524"), ("Wien", "2761369"), ("Göteborg", "2711537"),
                            ("Genf", "2660646"), ("Bienne", "2661513"), ("Lisboa", "2267057")] {
            let r = try runTwinmatch(["recommend", "--city", typed, "--limit", "1", "--format", "json"])
            XCTAssertEqual(r.status, 0, "\(typed): \(r.stderr)")
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            XCTAssertEqual((json["query"] as? [String: Any])?["id"] as? String, id, typed)
        }
        let explained = try runTwinmatch(["explain", "Frankfurt,DE", "Muenchen", "--format", "json"])
        XCTAssertEqual(explained.status, 0, explained.stderr)
    }
}
