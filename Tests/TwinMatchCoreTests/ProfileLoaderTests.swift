import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class ProfileLoaderTests: XCTestCase {
    func testLoadsAValidFile() throws {
        let set = try ProfileLoader().load(path: temporaryFile(sampleCSV))
        XCTAssertEqual(set.count, 7)
        let annecy = set.profiles[0]
        XCTAssertEqual(annecy.name, "Annecy")
        XCTAssertEqual(annecy.themes, [Weighted("tourism", 1), Weighted("creative-industries", 0.8)])
        XCTAssertEqual(annecy.offers, ["creative-industries"])
        XCTAssertEqual(annecy.seeks, ["energy-transition"])
        XCTAssertEqual(set.profiles[2].migrationLinks, [Weighted("TR", 0.2)])
        XCTAssertEqual(set.profiles[1].partners, ["1"])
        XCTAssertTrue(set.warnings.isEmpty, "\(set.warnings)")
    }

    func testByteOrderMarkCRLFAndQuotedFieldsAreValid() throws {
        let text = "id,name,country,lat,lon,population,themes\r\n1,\"Frankfurt, am Main\",DE,50.11,8.68,763380,\"energy;youth\"\r\n2,\"Say \"\"hi\"\"\",FR,48.85,2.35,2000,\r\n"
        let set = try ProfileLoader().load(path: temporaryFile(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        XCTAssertEqual(set.profiles.map(\.name), ["Frankfurt, am Main", "Say \"hi\""])
        XCTAssertEqual(set.profiles[0].themes.map(\.key), ["energy-transition", "youth"])
    }

    func testJSONLinesUseTheSameFields() throws {
        let text = """
        {"id": "10", "name": "Bergen", "country": "NO", "lat": 60.39, "lon": 5.32, "population": 285911, "themes": {"culture": 1, "youth": 0.5}, "partners": ["11"]}
        {"id": "11", "name": "Warsaw", "country": "PL", "lat": 52.23, "lon": 21.01, "population": 1702139, "languages": ["pl"]}
        """
        let set = try ProfileLoader().load(path: temporaryFile(text, name: "p.jsonl"))
        XCTAssertEqual(set.count, 2)
        XCTAssertEqual(set.profiles[0].themes, [Weighted("culture-heritage", 1), Weighted("youth", 0.5)])
        XCTAssertEqual(set.profiles[1].partners, ["10"], "partnerships are made symmetric")
    }

    func testUnknownThemeWarnsWithClosestAndStrictRejects() throws {
        let text = "id,name,country,lat,lon,population,themes\n1,A,FR,45,6,1000,energie-transition\n"
        let path = temporaryFile(text)
        let set = try ProfileLoader().load(path: path)
        XCTAssertEqual(set.warnings.count, 1)
        XCTAssertTrue(set.warnings[0].description.contains("energy-transition"), set.warnings[0].description)
        XCTAssertTrue(set.warnings[0].description.contains(":2:"), set.warnings[0].description)
        XCTAssertThrowsError(try ProfileLoader(strict: true).load(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.field, "themes")
        }
    }

    /// Each malformed input names the file, the line and (where there is one) the field.
    func testMalformedFilesAreRejectedWithLocation() {
        let header = "id,name,country,lat,lon,population\n"
        let cases: [(String, [UInt8], Int?, String?)] = [
            ("wrong column count", Array((header + "1,A,FR,45,6\n").utf8), 2, nil),
            ("missing required", Array((header + "1,,FR,45,6,100\n").utf8), 2, "name"),
            ("missing header column", Array("id,name,country,lat,lon\n1,A,FR,45,6\n".utf8), 1, "population"),
            ("non-numeric", Array((header + "1,A,FR,abc,6,100\n").utf8), 2, "lat"),
            ("non-finite", Array((header + "1,A,FR,45,inf,100\n").utf8), 2, "lon"),
            ("nan", Array((header + "1,A,FR,45,6,nan\n").utf8), 2, "population"),
            ("latitude out of range", Array((header + "1,A,FR,91,6,100\n").utf8), 2, "lat"),
            ("longitude out of range", Array((header + "1,A,FR,45,-181,100\n").utf8), 2, "lon"),
            ("negative population", Array((header + "1,A,FR,45,6,-5\n").utf8), 2, "population"),
            ("population past the world's", Array((header + "1,A,FR,45,6,1e19\n").utf8), 2, "population"),
            ("population past ten billion", Array((header + "1,A,FR,45,6,1e300\n").utf8), 2, "population"),
            ("a weight with nothing before it", Array("id,name,country,lat,lon,population,themes\n1,A,FR,45,6,100,youth;:0.5\n".utf8), 2, "themes"),
            ("a lone colon", Array("id,name,country,lat,lon,population,migration_links\n1,A,FR,45,6,100,:\n".utf8), 2, "migration_links"),
            ("fractional name variants", Array("id,name,country,lat,lon,population,name_variants\n1,A,FR,45,6,100,2.5\n".utf8), 2, "name_variants"),
            ("negative name variants", Array("id,name,country,lat,lon,population,name_variants\n1,A,FR,45,6,100,-1\n".utf8), 2, "name_variants"),
            ("duplicate id", Array((header + "1,A,FR,45,6,100\n1,B,DE,50,8,100\n").utf8), 3, "id"),
            ("an id with the list separator", Array((header + "\"1;2\",A,FR,45,6,100\n").utf8), 2, "id"),
            ("not ISO2", Array((header + "1,A,France,45,6,100\n").utf8), 2, "country"),
            ("UK is not ISO2", Array((header + "1,A,UK,45,6,100\n").utf8), 2, "country"),
            ("invalid UTF-8", Array(header.utf8) + [0x31, 0x2C, 0xFF, 0xFE, 0x2C] + Array("FR,45,6,100\n".utf8), 2, "name"),
            ("unbalanced quote", Array((header + "1,\"A,FR,45,6,100\n2,B,DE,50,8,100\n").utf8), 2, "name"),
            ("empty file", [], nil, nil),
            ("bad theme weight", Array("id,name,country,lat,lon,population,themes\n1,A,FR,45,6,100,youth:2\n".utf8), 2, "themes"),
            ("bad migration country", Array("id,name,country,lat,lon,population,migration_links\n1,A,FR,45,6,100,XX:0.5\n".utf8), 2, "migration_links"),
            ("bad language", Array("id,name,country,lat,lon,population,languages\n1,A,FR,45,6,100,french\n".utf8), 2, "languages"),
        ]
        for (label, bytes, line, field) in cases {
            let path = temporaryFile(bytes: bytes)
            XCTAssertThrowsError(try ProfileLoader().load(path: path), label) { error in
                guard let e = error as? InputError else { return XCTFail("\(label): \(error) is not an InputError") }
                XCTAssertEqual(e.file, path, label)
                XCTAssertEqual(e.line, line, "\(label): \(e)")
                XCTAssertEqual(e.field, field, "\(label): \(e)")
            }
        }
    }

    /// Two spellings of one network are one slug, listed once; "youth:" is youth with weight 1.
    func testNetworkSpellingsListedOnceAndAnEmptyWeightIsOne() throws {
        let path = temporaryFile(bytes: Array("id,name,country,lat,lon,population,themes,networks\n1,A,FR,45,6,100,youth:,Eurocities;eurocities\n".utf8))
        let p = try ProfileLoader().load(path: path).profiles[0]
        XCTAssertEqual(p.networks, ["eurocities"])
        XCTAssertEqual(p.themes, [Weighted("youth", 1)])
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try ProfileLoader().load(path: "/nonexistent/profiles.csv")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/profiles.csv"))
        }
    }

    func testThemeAliasesAndClosest() {
        XCTAssertEqual(ThemeVocabulary.canonical("Renewables"), "energy-transition")
        XCTAssertEqual(ThemeVocabulary.canonical("energy"), "energy-transition")
        XCTAssertEqual(ThemeVocabulary.canonical("Circular Economy"), "circular-economy")
        XCTAssertNil(ThemeVocabulary.canonical("basket weaving"))
        XCTAssertEqual(ThemeVocabulary.closest(to: "circular-econmy").first, "circular-economy")
        XCTAssertGreaterThanOrEqual(ThemeVocabulary.themes.count, 20)
    }

    func testIdOrderIsNumericThenText() {
        XCTAssertTrue(idPrecedes("9", "10"))
        XCTAssertTrue(idPrecedes("10", "a"))
        XCTAssertTrue(idPrecedes("a", "b"))
        XCTAssertEqual(ProfileSet.ranks(of: ["10", "9", "b", "a"]), [1, 0, 3, 2])
    }

    func testWriterRoundTrips() throws {
        let set = try ProfileLoader().load(path: temporaryFile(sampleCSV))
        let again = try ProfileLoader().load(path: temporaryFile(ProfileWriter.csv(set.profiles)))
        XCTAssertEqual(again.profiles.map { $0.id }, set.profiles.map { $0.id })
        XCTAssertEqual(again.profiles.map { $0.themes }, set.profiles.map { $0.themes })
        XCTAssertEqual(again.profiles.map { $0.partners }, set.profiles.map { $0.partners })
        XCTAssertEqual(again.profiles.map { $0.migrationLinks }, set.profiles.map { $0.migrationLinks })
        XCTAssertEqual(again.profiles.map { $0.nameVariants }, set.profiles.map { $0.nameVariants })
    }

    func testNameVariantsAreOptional() throws {
        let csv = "id,name,country,lat,lon,population,name_variants\n1,A,FR,45,6,100,12\n2,B,DE,50,8,100,\n"
        let set = try ProfileLoader().load(path: temporaryFile(csv))
        XCTAssertEqual(set.profiles.map(\.nameVariants), [12, nil])
        let again = try ProfileLoader().load(path: temporaryFile(ProfileWriter.csv(set.profiles)))
        XCTAssertEqual(again.profiles.map(\.nameVariants), [12, nil])
        let jsonl = try ProfileLoader().load(path: temporaryFile(#"{"id": "1", "name": "A", "country": "FR", "lat": 45, "lon": 6, "population": 100, "name_variants": 7}"# + "\n", name: "p.jsonl"))
        XCTAssertEqual(jsonl.profiles[0].nameVariants, 7)
    }
}
