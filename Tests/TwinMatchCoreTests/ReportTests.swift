import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// Profiles for a report: a query whose name is markup, candidates in four countries, one pair of them
/// close together (their markers must not cover each other).
let reportCSV = """
id,name,country,region,lat,lon,population,languages,themes,offers,seeks,migration_links,networks,partners
1,"Annecy <script>alert(""x"")</script> & Co",FR,84,45.899,6.129,49232,fr,tourism;creative-industries:0.8,creative-industries,energy-transition,,alpine-towns,2
2,Bayreuth,DE,02,49.948,11.578,72940,de,culture-heritage;creative-industries,,,,,1
3,Vicenza,IT,20,45.549,11.549,111980,it,culture-heritage;tourism,energy-transition,,TR:0.2,,
4,Zadar,HR,15,44.119,15.231,67309,hr,culture-heritage:0.5;tourism,,creative-industries,,intercultural-cities,
5,Padova,IT,20,45.408,11.877,214000,it,culture-heritage;energy-transition,,,,,
6,Dakar,SN,01,14.693,-17.447,2476400,fr;wo,migration-integration,,,,,
7,Lyon,FR,84,45.748,4.847,522969,fr,intercultural-dialogue,,,DZ:0.3,intercultural-cities,

"""

final class ReportTests: XCTestCase {
    // MARK: Projection

    /// Hand-computed: a 20° × 10° box at the 60th parallel (cos = ½), 1000 wide: 100 units per degree of
    /// latitude, 50 per degree of longitude; the box is 1000 high.
    func testProjectionAgainstHandComputedValues() {
        let p = MapProjection(west: 0, east: 20, south: 40, north: 50, standardParallel: 60, width: 1000)
        XCTAssertEqual(p.scale, 100, accuracy: 1e-9)
        XCTAssertEqual(p.height, 1000, accuracy: 1e-9)
        XCTAssertEqual(p.x(10), 500, accuracy: 1e-9)
        XCTAssertEqual(p.x(0), 0, accuracy: 1e-9)
        XCTAssertEqual(p.x(20), 1000, accuracy: 1e-9)
        XCTAssertEqual(p.y(50), 0, accuracy: 1e-9)
        XCTAssertEqual(p.y(45), 500, accuracy: 1e-9)
        XCTAssertEqual(p.x(-350), 500, accuracy: 1e-9, "a longitude is taken within 180° of the centre")
        XCTAssertEqual(p.x(continuous: 370), 18_500, accuracy: 1e-9, "continuous: as it is")

        let world = MapProjection.world()
        XCTAssertTrue(world.isWholeWorld)
        XCTAssertEqual(world.scale, 1000.0 / 360, accuracy: 1e-9)
        XCTAssertEqual(world.height, 142 * 1000.0 / 360, accuracy: 1e-9)
        XCTAssertEqual(world.x(0), 500, accuracy: 1e-9)
        XCTAssertEqual(world.x(-90), 250, accuracy: 1e-9)
        XCTAssertEqual(world.y(0), 84 * 1000.0 / 360, accuracy: 1e-9)
    }

    /// The shortest run of longitudes, across the antimeridian when that is shorter.
    func testLongitudeRun() {
        let a = MapProjection.longitudeRun([10, -20, 5])
        XCTAssertEqual(a.start, -20, accuracy: 1e-9)
        XCTAssertEqual(a.span, 30, accuracy: 1e-9)
        let b = MapProjection.longitudeRun([170, -170, 175])
        XCTAssertEqual(b.start, 170, accuracy: 1e-9)
        XCTAssertEqual(b.span, 20, accuracy: 1e-9)
        let c = MapProjection.longitudeRun([42])
        XCTAssertEqual(c.start, 42)
        XCTAssertEqual(c.span, 0)
    }

    /// The fitted box holds every point inside the map with room to spare, keeps its shape within the
    /// aspect range, and is the whole world when the points go round it.
    func testFittingCropsToThePoints() {
        let sets: [[(latitude: Double, longitude: Double)]] = [
            [(45.9, 6.1), (49.9, 11.6), (44.1, 15.2)],            // the Alps
            [(45.9, 6.1), (14.7, -17.4), (16.0, -16.5)],          // Cuneo and Senegal: tall
            [(60.4, 5.3), (59.9, 30.3)],                          // Bergen and St Petersburg: wide
            [(-41.3, 174.8), (21.3, -157.9), (-17.7, 178.1)],     // across the antimeridian
            [(46.0, 14.0)],                                       // one place
        ]
        for points in sets {
            let p = MapProjection.fitting(points)
            XCTAssertFalse(p.isWholeWorld, "\(points)")
            let ratio = p.width / p.height
            XCTAssertTrue(ratio >= 1.25 - 1e-9 && ratio <= 2 + 1e-9, "aspect \(ratio) for \(points)")
            for q in points {
                let x = p.x(q.longitude), y = p.y(q.latitude)
                XCTAssertTrue(x > 10 && x < p.width - 10 && y > 10 && y < p.height - 10, "\(q) at \(x), \(y) in \(p)")
            }
        }
        let pacific = MapProjection.fitting(sets[3])
        XCTAssertLessThan(pacific.east - pacific.west, 180, "across the antimeridian, not round the other way")
        XCTAssertGreaterThan(pacific.x(-157.9), pacific.x(174.8), "Honolulu lies east of Wellington on the map")
        let round = MapProjection.fitting([(0, -135), (10, -45), (20, 45), (-10, 135)])
        XCTAssertEqual(round, .world(), "points round the globe: the whole world")
        XCTAssertEqual(MapProjection.fitting([]), .world())
    }

    // MARK: Outlines

    func testOutlinesReaderGathersRingsByCountry() throws {
        let text = "iso2,name,ring\nFR,France,0 40;10 40;10 50\nSN,Senegal,-17 12;-11 12;-11 16\nFR,France,8.5 41.4;9.6 41.4;9.4 43\n"
        let outlines = try CountryOutlines.parse(Array(text.utf8), file: "o.csv")
        XCTAssertEqual(outlines.countries.map(\.iso2), ["FR", "SN"])
        XCTAssertEqual(outlines.countries[0].rings.count, 2)
        let corsica = outlines.countries[0].rings[1]
        XCTAssertEqual([corsica.west, corsica.east, corsica.south, corsica.north], [8.5, 9.6, 41.4, 43])
    }

    /// Each malformed file is an error naming the file, the line and (where it is one) the field.
    func testOutlinesReaderErrors() {
        let cases: [(String, Int?, String?, String)] = [
            ("", nil, nil, "empty"),
            ("iso2,name\nFR,France\n", 1, nil, "expected the header"),
            ("iso2,name,ring\n", nil, nil, "no country outline"),
            ("iso2,name,ring\nFR,France,0 40;10 40;10 50\nFR,France\n", 3, nil, "expected 3 fields"),
            ("iso2,name,ring\nQQ,Nowhere,0 40;10 40;10 50\n", 2, "iso2", "not an ISO 3166-1"),
            ("iso2,name,ring\nFR,France,0 40;10 x;10 50\n", 2, "ring", "point 2 '10 x'"),
            ("iso2,name,ring\nFR,France,0 40;10 40 3;10 50\n", 2, "ring", "point 2"),
            ("iso2,name,ring\nFR,France,0 40;190 40;10 50\n", 2, "ring", "outside"),
            ("iso2,name,ring\nFR,France,0 40;10 95;10 50\n", 2, "ring", "outside"),
            ("iso2,name,ring\nFR,France,0 40;10 40\n", 2, "ring", "at least 3 points"),
            ("iso2,name,ring\nFR,France,0 40;;10 50\n", 2, "ring", "point 2 ''"),
            ("iso2,name,ring\nFR,\"France,0 40\n", 2, "name", "quote"),
        ]
        for (text, line, field, message) in cases {
            XCTAssertThrowsError(try CountryOutlines.parse(Array(text.utf8), file: "bad.csv"), text) { error in
                guard let e = error as? InputError else { return XCTFail("\(error) is not an InputError") }
                XCTAssertEqual(e.file, "bad.csv")
                XCTAssertEqual(e.line, line, "\(text): \(e)")
                XCTAssertEqual(e.field, field, "\(text): \(e)")
                XCTAssertTrue(e.message.contains(message), "\(text): \(e)")
            }
        }
        XCTAssertThrowsError(try CountryOutlines.read(path: "/nonexistent/outlines.csv")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/outlines.csv") && "\(error)".contains("extract_outlines.py"), "\(error)")
        }
    }

    /// The shipped outlines: the countries are where they belong (a city inside its country's rings, not
    /// inside a neighbour's), the codes fixed by name are there, and the file stays small.
    func testShippedOutlinesPutCitiesInTheirCountries() throws {
        let path = repositoryRoot.appendingPathComponent("datasets/reference/\(CountryOutlines.shippedFile)").path
        let outlines = try CountryOutlines.read(path: path)
        XCTAssertGreaterThanOrEqual(outlines.countries.count, 170)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertLessThan(size, 300_000)
        let byCode = Dictionary(uniqueKeysWithValues: outlines.countries.map { ($0.iso2, $0) })
        for code in ["FR", "NO", "XK", "SN", "IT", "SI", "US", "AU"] { XCTAssertNotNil(byCode[code], code) }
        let cities: [(String, Double, Double)] = [("FR", 45.90, 6.13), ("FR", 48.86, 2.35), ("IT", 44.38, 7.54), ("SI", 46.00, 14.03),
                                                  ("SN", 14.85, -15.88), ("NO", 59.91, 10.75), ("DE", 49.95, 11.58),
                                                  ("US", 39.74, -104.99), ("AU", -33.87, 151.0), ("BR", -15.79, -47.88)]
        for (code, lat, lon) in cities {
            let inside = outlines.countries.filter { c in c.rings.filter { contains($0, lat: lat, lon: lon) }.count % 2 == 1 }.map(\.iso2)
            XCTAssertEqual(inside, [code], "\(lat), \(lon)")
        }
    }

    /// Even-odd point in polygon.
    func contains(_ ring: OutlineRing, lat: Double, lon: Double) -> Bool {
        var inside = false
        var j = ring.longitudes.count - 1
        for i in ring.longitudes.indices {
            let (xi, yi, xj, yj) = (ring.longitudes[i], ring.latitudes[i], ring.longitudes[j], ring.latitudes[j])
            if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }

    // MARK: The page

    func shippedOutlines() throws -> CountryOutlines {
        try CountryOutlines.read(path: repositoryRoot.appendingPathComponent("datasets/reference/\(CountryOutlines.shippedFile)").path)
    }

    func reportPage(filter: CandidateFilter = CandidateFilter()) throws -> (page: String, shortlist: Shortlist, set: ProfileSet) {
        let set = try ProfileLoader().load(path: temporaryFile(reportCSV))
        let ranker = Corpus(profiles: set).ranker()
        let shortlist = ranker.shortlist(0, limit: 4, filter: filter)
        var page = ReportPage(title: "Partners for \(set.profiles[0].name)", subtitle: ReportPage.placeLine(set.profiles, 0),
                              date: Date(timeIntervalSince1970: 1_700_000_000))
        page.addFacts([("City", set.profiles[0].name), ("Filters", "a < b & c")], heading: "What was asked")
        page.addMap(shortlist, set: set, outlines: try shippedOutlines())
        page.addShortlist(shortlist, set: set)
        page.addSection(heading: "Notes <b>", paragraphs: ["one & two", "<i>three</i>"])
        page.addTable(heading: "Plain", columns: ["a", "b<"], rows: [["1", "<td>"]], numericColumns: [0])
        return (page.render(), shortlist, set)
    }

    /// The page parses as XML: one html root with head and body, an svg with country paths, one marker
    /// per candidate and the query's; markup in a name shows as text, never as an element.
    func testPageIsWellFormedWithMapAndMarkers() throws {
        let (html, shortlist, set) = try reportPage()
        XCTAssertEqual(shortlist.list.results.count, 4)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let doc = try XMLDocument(xmlString: html, options: [])
        let root = try XCTUnwrap(doc.rootElement())
        XCTAssertEqual(root.name, "html")
        XCTAssertEqual(try root.nodes(forXPath: "head/style").count, 1)
        XCTAssertEqual(try root.nodes(forXPath: "head/meta[@charset='utf-8']").count, 1)
        let svg = try root.nodes(forXPath: "//svg")
        XCTAssertEqual(svg.count, 1)
        let countries = try root.nodes(forXPath: "//svg//path[contains(@class, 'country')]")
        XCTAssertGreaterThan(countries.count, 10, "the countries of the region")
        XCTAssertEqual(try root.nodes(forXPath: "//svg//path[@class='country home']/title").map { $0.stringValue }, ["France"])
        let candidateCountries = Set(shortlist.list.results.map { Countries.named(set.profiles[$0.row].country)!.name })
        XCTAssertFalse(candidateCountries.contains("France"))
        XCTAssertEqual(Set(try root.nodes(forXPath: "//svg//path[@class='country candidate-country']/title").compactMap(\.stringValue)),
                       candidateCountries, "the candidates' countries are tinted")
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='candidate']").count, shortlist.list.results.count)
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='candidate']/text").compactMap(\.stringValue).sorted(), ["1", "2", "3", "4"])
        XCTAssertEqual(try root.nodes(forXPath: "//svg//line[@class='link']").count, shortlist.list.results.count)
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='query']").count, 1)
        XCTAssertEqual(try root.nodes(forXPath: "//table[@class='shortlist']/tbody/tr").count, shortlist.list.results.count)
        XCTAssertFalse(try root.nodes(forXPath: "//ul[@class='reasons']/li/span[@class='bar']/span").isEmpty, "bars")

        let name = "Annecy <script>alert(\"x\")</script> & Co"
        XCTAssertEqual(try root.nodes(forXPath: "//script").count, 0, "markup in data never becomes an element")
        XCTAssertFalse(html.contains("<script"), "escaped")
        XCTAssertEqual(try root.nodes(forXPath: "head/title").first?.stringValue, "Partners for \(name)")
        XCTAssertEqual(try root.nodes(forXPath: "//h1").first?.stringValue, "Partners for \(name)")
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='query']/text").first?.stringValue, name)
        XCTAssertTrue(try root.nodes(forXPath: "//svg//g[@class='query']/title").first?.stringValue?.hasPrefix(name) == true)
        XCTAssertEqual(try root.nodes(forXPath: "//dd").map(\.stringValue), [name, "a < b & c"])
        XCTAssertEqual(try root.nodes(forXPath: "//section/p").compactMap(\.stringValue).suffix(2), ["one & two", "<i>three</i>"])
        XCTAssertEqual(try root.nodes(forXPath: "//table[@class='plain']//td").compactMap(\.stringValue), ["1", "<td>"])
        XCTAssertTrue(try root.nodes(forXPath: "//footer/p").first?.stringValue?.contains("2023-11-14") == true, "the date")
    }

    /// Nothing is fetched from elsewhere: no src, href or url() anywhere, no "://" in any attribute, and an
    /// address only in the plain-text credits; the credits name GeoNames and Natural Earth.
    func testPageRefersToNothingOutside() throws {
        let (html, _, _) = try reportPage()
        let doc = try XMLDocument(xmlString: html, options: [])
        let root = try XCTUnwrap(doc.rootElement())
        for node in try root.nodes(forXPath: "//*") {
            guard let element = node as? XMLElement else { continue }
            for attribute in element.attributes ?? [] {
                XCTAssertFalse(["src", "href", "xlink:href", "srcset", "action", "data"].contains(attribute.name ?? ""), "\(element.name ?? "") \(attribute)")
                XCTAssertFalse(attribute.stringValue?.contains("://") == true, "\(attribute)")
                XCTAssertFalse(attribute.stringValue?.contains("url(") == true, "\(attribute)")
            }
        }
        XCTAssertEqual(try root.nodes(forXPath: "//link | //img | //iframe | //object | //embed | //image | //use | //a").count, 0)
        let style = try XCTUnwrap(try root.nodes(forXPath: "head/style").first?.stringValue)
        XCTAssertFalse(style.contains("url(") || style.contains("@import") || style.contains("@font-face"), "nothing to fetch in the stylesheet")
        let credits = try XCTUnwrap(try root.nodes(forXPath: "//ul[@class='credits']").first)
        let creditText = credits.stringValue ?? ""
        XCTAssertTrue(creditText.contains("GeoNames") && creditText.contains("CC BY 4.0"))
        XCTAssertTrue(creditText.contains("Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com"))
        credits.detach()
        let rest = doc.xmlString
        XCTAssertFalse(rest.contains("http://") || rest.contains("https://"), "an address outside the credits")
    }

    /// An empty shortlist says why, and its map shows the query alone.
    func testEmptyShortlistShowsItsNotice() throws {
        var filter = CandidateFilter()
        filter.countries = ["JP"]
        let (html, shortlist, _) = try reportPage(filter: filter)
        XCTAssertTrue(shortlist.list.results.isEmpty)
        let root = try XCTUnwrap(try XMLDocument(xmlString: html, options: []).rootElement())
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='candidate']").count, 0)
        XCTAssertEqual(try root.nodes(forXPath: "//svg//g[@class='query']").count, 1)
        let notice = try XCTUnwrap(try root.nodes(forXPath: "//p[@class='notice']").first?.stringValue)
        XCTAssertTrue(notice.contains("are in Japan"), notice)
    }

    /// The bars read the rounded points: their widths are the points on the 0–100 scale, and the shown
    /// points add up to the score with the baseline.
    func testBarsShowTheRoundedPoints() throws {
        let (html, shortlist, _) = try reportPage()
        let root = try XCTUnwrap(try XMLDocument(xmlString: html, options: []).rootElement())
        let rows = try root.nodes(forXPath: "//table[@class='shortlist']/tbody/tr")
        for (row, why) in zip(rows, shortlist.reasons) {
            let rounded = why.roundedPoints
            XCTAssertEqual(try row.nodes(forXPath: "td[@class='score num']/span[@class='score-value']").first?.stringValue, String(rounded.score))
            let points = try row.nodes(forXPath: ".//ul[@class='reasons']/li/span[@class='points']").compactMap(\.stringValue)
                .map { Int($0.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "+", with: ""))! }
            XCTAssertEqual(points.reduce(0, +), rounded.score, "the bars' points (with a typical candidate's) add up to the score")
            XCTAssertEqual(points.sorted(), (rounded.families + [rounded.baseline]).filter { $0 != 0 }.sorted())
            let widths = try row.nodes(forXPath: ".//ul[@class='reasons']/li/span[@class='bar']/span").compactMap { ($0 as? XMLElement)?.attribute(forName: "style")?.stringValue }
            XCTAssertEqual(widths, points.map { "width:\(min(100, abs($0)))%" })
        }
    }

    /// Markers of places close together are moved apart (a leader line to the place), never covering one
    /// another or the query's square.
    func testMarkersDoNotCoverEachOther() throws {
        let query = MapPoint(latitude: 45.9, longitude: 6.1, name: "Q", country: "FR")
        let points = (0..<8).map { i in MapPoint(latitude: 46 + Double(i) * 0.01, longitude: 6.2, label: String(i + 1), name: "P\(i)", country: "CH") }
        let map = WorldMap(query: query, points: points, outlines: try shippedOutlines())
        let spots = map.markerPositions()
        let all = [(x: map.projection.x(6.1), y: map.projection.y(45.9))] + spots
        for i in all.indices {
            for j in all.indices where j > i {
                XCTAssertGreaterThanOrEqual(hypot(all[i].x - all[j].x, all[i].y - all[j].y), map.radius * 2.1 - 1e-9, "\(i) and \(j)")
            }
        }
        let moved = zip(points, spots).filter { p, s in hypot(map.projection.x(p.longitude) - s.x, map.projection.y(p.latitude) - s.y) > 0.5 }.count
        XCTAssertGreaterThanOrEqual(moved, 7, "eight markers on one spot: all but one move")
        XCTAssertEqual(map.svg().components(separatedBy: "class=\"leader\"").count - 1, moved, "every moved marker has its leader line")
    }

    func testEscape() {
        XCTAssertEqual(HTML.escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        XCTAssertEqual(HTML.escape("Göttingen – Toruń"), "Göttingen – Toruń")
        XCTAssertEqual([0, 1.25, -0.04, -0.06, -12.34, 999.96].map(HTML.number), ["0", "1.3", "0", "-0.1", "-12.3", "1000"])
    }
}
