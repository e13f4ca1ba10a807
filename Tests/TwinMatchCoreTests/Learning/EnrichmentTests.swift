import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class EnrichmentTests: XCTestCase {
    /// A folder with every reference extract, each holding the rows given (a header only otherwise).
    func extracts(_ rows: [String: String]) throws -> String {
        let dir = temporaryDirectory(prefix: "enrich")
        let headers = [
            "twin_pairs.csv": "geonameid_a,geonameid_b",
            "memberships.csv": "geonameid,network,network_name,kind,year,role,topics,themes",
            "covenant.csv": "geonameid,status,commit_2020,commit_2030,commit_2050,adaptation,year",
            "creative_cities.csv": "geonameid,field,year",
            "world_heritage.csv": "geonameid,category,year,site",
            "urban_green.csv": "geonameid,green_share,year",
            "migrant_stock.csv": "dest_iso2,origin_iso2,migrant_stock,share_of_dest_migrants,year",
        ]
        for (file, header) in headers {
            try (header + "\n" + (rows[file] ?? "")).write(toFile: dir.appendingPathComponent(file).path, atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    func profiles() -> [CityProfile] {
        [CityProfile(id: "1", name: "Annecy", country: "FR", latitude: 45.9, longitude: 6.1, population: 49232),
         CityProfile(id: "2", name: "Lyon", country: "FR", latitude: 45.7, longitude: 4.8, population: 500_000),
         CityProfile(id: "3", name: "Dakar", country: "SN", latitude: 14.7, longitude: -17.4, population: 2_476_400)]
    }

    func testExtractsJoinByGeoNamesIdAndRecordTheirEvidence() throws {
        let dir = try extracts([
            "memberships.csv": """
            1,energy-cities,Energy Cities,network,2016,Member,energy transition; climate,energy-transition:1;climate-adaptation:0.75
            2,urbact-2nd-chance,URBACT 2nd Chance,urbact,2015,Partner,Abandoned Spaces; Youth,youth:0.75
            99,energy-cities,Energy Cities,network,2016,Member,energy transition,energy-transition:1
            """,
            "covenant.csv": "1,published,True,False,True,False,2010\n",
            "creative_cities.csv": "3,Gastronomy,2015\n",
        ])
        var all = profiles()
        let report = try Enrichment(directory: dir).apply(to: &all)
        XCTAssertEqual(report.count, Enrichment.files.count)
        let annecy = all[0], lyon = all[1], dakar = all[2]
        XCTAssertEqual(annecy.themes.first { $0.key == "energy-transition" }?.weight, 1, "the network's 1 beats the Covenant's scaled weight")
        XCTAssertEqual(annecy.themes.first { $0.key == "climate-adaptation" }?.weight, 0.75)
        XCTAssertEqual(Set(annecy.networks), ["energy-cities", "covenant-of-mayors"])
        XCTAssertTrue(annecy.sources.contains("themes:energy-transition@Energy Cities 2016"), "\(annecy.sources)")
        XCTAssertTrue(annecy.sources.contains("networks:covenant-of-mayors@Covenant of Mayors (2050 target) 2010"), "\(annecy.sources)")
        XCTAssertEqual(lyon.networks, ["urbact-2nd-chance"])
        XCTAssertEqual(lyon.themes, [Weighted("youth", 0.75)])
        XCTAssertTrue(dakar.themes.contains { $0.key == "agriculture-food" }, "gastronomy")
        XCTAssertTrue(dakar.sources.contains("themes:agriculture-food@UNESCO Creative City of Gastronomy 2015"))
        XCTAssertTrue(all.allSatisfy { $0.migrationLinks.isEmpty }, "migration stays at country level")
        XCTAssertEqual(try Enrichment(directory: dir).actorIds(), ["1", "2", "99"])
    }

    func testAMissingOrDamagedExtractSaysHowToRegenerateIt() throws {
        let dir = try extracts([:])
        try FileManager.default.removeItem(atPath: dir + "/covenant.csv")
        var all = profiles()
        XCTAssertThrowsError(try Enrichment(directory: dir).apply(to: &all)) { error in
            XCTAssertTrue("\(error)".contains("covenant.csv") && "\(error)".contains("scripts/extract_reference.py"), "\(error)")
        }
        let bad = try extracts(["memberships.csv": "1,x,X,network,2016,Member,t,youth=1\n"])
        XCTAssertThrowsError(try Enrichment(directory: bad).apply(to: &all)) { error in
            XCTAssertTrue("\(error)".contains("memberships.csv:2") && "\(error)".contains("themes"), "\(error)")
        }
    }

    func testCountryMigrationKeepsEveryOriginAndCitiesInheritIt() throws {
        let dir = try extracts(["migrant_stock.csv": """
            IT,RO,1190091,0.19,2019
            IT,SN,103744,0.0166,2019
            IT,XX,5,0.001,2019
            FR,DZ,1600000,0.19,2019
            SN,IT,2000,0.007,2019
            """])
        let table = try CountryMigration.read(path: dir + "/migrant_stock.csv")
        XCTAssertEqual(table.link(into: "IT", from: "SN")?.stock, 103_744, "a small origin is kept")
        XCTAssertNil(table.link(into: "IT", from: "XX"), "not a country")
        XCTAssertEqual(table.links["IT"]?.map(\.origin), ["RO", "SN"], "largest first")
        let cities = [CityProfile(id: "1", name: "Cuneo", country: "IT", latitude: 44.4, longitude: 7.5, population: 56_000),
                      CityProfile(id: "2", name: "Louga", country: "SN", latitude: 15.6, longitude: -16.2, population: 85_000),
                      CityProfile(id: "3", name: "Own", country: "IT", latitude: 45, longitude: 7, population: 1000,
                                  migrationLinks: [Weighted("FR", 1)])]
        let corpus = Corpus(profiles: ProfileSet(profiles: cities, source: "test"), migration: table)
        let g = corpus.pairGroups
        // m_Cuneo[SN] = 0.0166 / |(0.19, 0.0166)|, m_Louga[IT] = 1 (its only origin).
        let expected = 0.5 * (0.0166 / (0.19 * 0.19 + 0.0166 * 0.0166).squareRoot() + 1)
        XCTAssertEqual(Double(g.migrationSimilarity(0, 1)), expected, accuracy: 1e-6)
        XCTAssertEqual(Double(g.migrationSimilarity(2, 1)), 0.5, accuracy: 1e-6, "own links replace the country's; Louga's IT link counts")
        XCTAssertFalse(g.hasOwnLinks(0))
        XCTAssertTrue(g.hasOwnLinks(2))
        for a in 0..<3 { for b in 0..<3 { XCTAssertLessThanOrEqual(g.migrationSimilarity(a, b), g.migrationBound(a) * 1.0001) } }
    }
}
