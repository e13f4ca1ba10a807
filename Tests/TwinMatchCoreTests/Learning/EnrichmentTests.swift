import XCTest
@testable import TwinMatchCore

final class EnrichmentTests: XCTestCase {
    func testTablesJoinByGeoNamesIdAndRecordTheirSource() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("enrich-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ text: String) throws { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try put("gcom_signatories.csv", """
        source_id,gcom_id,name,country_iso2,lat,lon,population_adhesion,adhesion_date,commit_com2020,commit_com2030,commit_com2050,commit_mayors_adapt,signatory_status,is_group,group_name,coordinator_name,adhesion_year,geonameid,geonames_name,match_method
        1,X,Annecy,FR,0,0,,2010-01-01,True,False,True,False,published,False,,,2010,1.0,Annecy,name
        2,Y,Nowhere,FR,0,0,,2010-01-01,True,False,False,False,published,False,,,2010,,,
        """)
        try put("unesco_creative_cities.csv", """
        name,country_iso2,lat,lon,creative_field,member_since,unesco_url,country_source,geonameid,geonames_name
        Annecy,FR,0,0,Media Arts,,u,s,1,Annecy
        Dakar,SN,0,0,Gastronomy,,u,s,3,Dakar
        """)
        try put("un_desa_migrant_stock_bilateral_2019rev.csv", """
        year,dest_iso2,dest_name,origin_iso2,origin_name,migrant_stock,share_of_dest_migrants
        2015,FR,France,PT,Portugal,1,0.9
        2019,FR,France,DZ,Algeria,100,0.3
        2019,FR,France,MA,Morocco,90,0.25
        2019,FR,France,XX,Nowhere,90,0.25
        2019,FR,France,BE,Belgium,1,0.001
        """)
        var profiles = [
            CityProfile(id: "1", name: "Annecy", country: "FR", latitude: 45.9, longitude: 6.1, population: 49232),
            CityProfile(id: "2", name: "Lyon", country: "FR", latitude: 45.7, longitude: 4.8, population: 500_000,
                        migrationLinks: [Weighted("IT", 0.5)]),
            CityProfile(id: "3", name: "Dakar", country: "SN", latitude: 14.7, longitude: -17.4, population: 2_476_400),
        ]
        let report = try Enrichment(directory: dir.path).apply(to: &profiles)
        XCTAssertTrue(report.contains { $0.contains("unesco_world_heritage_sites_2019.csv not found") && $0.contains("skipped") }, "\(report)")
        let annecy = profiles[0]
        XCTAssertEqual(annecy.themes.first { $0.key == "energy-transition" }?.weight ?? 0, 1 - 0.75 * 0.5, accuracy: 1e-9,
                       "2050 commitment, one of two French places signed")
        XCTAssertTrue(annecy.networks.contains("covenant-of-mayors"))
        XCTAssertTrue(annecy.networks.contains("unesco-creative-media-arts"))
        XCTAssertTrue(annecy.themes.contains { $0.key == "creative-industries" })
        XCTAssertTrue(annecy.sources.contains("themes:energy-transition@gcom2024"))
        XCTAssertEqual(annecy.migrationLinks, [Weighted("DZ", 0.3), Weighted("MA", 0.25)], "latest year, known countries, ≥ 1%")
        XCTAssertEqual(profiles[1].migrationLinks, [Weighted("IT", 0.5)], "links a profile already has are kept")
        XCTAssertTrue(profiles[2].themes.contains { $0.key == "agriculture-food" }, "gastronomy")
        XCTAssertTrue(profiles[2].migrationLinks.isEmpty, "no table rows for Senegal")
    }
}
