import XCTest
import TwinMatchTestSupport
@testable import TwinMatchCore

final class CityNamesTests: XCTestCase {
    static let fixture = """
    id,name,country,region,lat,lon,population,alternate_names
    1,Munich,DE,02,48.137,11.575,1505005,München;Muenchen;Monaco di Baviera;Мюнхен
    2,Turin,IT,12,45.070,7.686,847287,Torino;Турин
    3,Vienna,AT,09,48.208,16.372,1691468,Wien;Bienne;Vienne
    4,Vienna,US,VA,38.901,-77.265,16522,
    5,Biel/Bienne,CH,BE,47.137,7.247,55120,Biel
    6,Vienne,FR,84,45.525,4.874,32293,
    7,Rome,IT,07,41.894,12.483,2318895,Roma
    8,Roma,LS,15,-29.449,27.714,14259,
    9,Frankfurt am Main,DE,05,50.116,8.684,650000,Frankfurt
    10,Frankfurt (Oder),DE,11,52.347,14.551,57107,Frankfurt
    11,Münster,DE,07,51.962,7.626,308258,
    12,Muenster,US,TX,33.652,-97.375,1544,
    13,Bristol,GB,ENG,51.455,-2.597,479024,
    14,Bristol,US,CT,41.672,-72.949,60452,
    15,Independence,US,MO,39.091,-94.416,117255,Bristol
    16,Springfield,US,MO,37.215,-93.298,170188,
    17,Springfield,US,MA,42.101,-72.590,154341,
    18,London,GB,ENG,51.508,-0.126,8961989,
    19,Lyon,FR,84,45.748,4.847,522969,
    20,Valence,FR,84,44.933,4.892,64726,
    21,Valence,ES,60,39.470,-0.376,60000,
    22,Valence,FR,,44.1,0.9,4000,

    """

    func set() throws -> ProfileSet { try ProfileLoader().loadCSV(path: temporaryFile(Self.fixture)) }

    func resolved(_ set: ProfileSet, _ name: String, country: String? = nil) throws -> (id: String, notes: [String]) {
        let r = try set.resolve(name: name, country: country)
        return (set.profiles.id(r.row), r.notes)
    }

    func testAlternateNamesAndFolding() throws {
        let s = try set()
        for (typed, id) in [("München", "1"), ("Muenchen", "1"), ("MUNCHEN", "1"), ("munich", "1"), ("Мюнхен", "1"), ("Torino", "2"),
                            ("Wien", "3"), ("Bienne", "5"), ("Biel", "5"), ("Vienne", "6"), ("Monaco-di-Baviera", "1")] {
            XCTAssertEqual(try resolved(s, typed).id, id, typed)
        }
        XCTAssertEqual(try resolved(s, "Torino").notes, [], "a single match needs no note")
        // Main names beat alternate names (Vienne in France over Vienna, which the French call so) …
        XCTAssertTrue(try resolved(s, "Vienne").notes[0].contains("the place spelled exactly so, of 2 places"))
        // … unless the alternate is 100× larger: Rome, not Roma in Lesotho.
        let roma = try resolved(s, "Roma")
        XCTAssertEqual(roma.id, "7")
        XCTAssertTrue(roma.notes[0].contains("taken as Rome (IT), id 7, the largest of 2 places"), roma.notes[0])
        // An exact spelling yields to a folded main name 10× larger: Münster, not Muenster, Texas.
        XCTAssertEqual(try resolved(s, "Muenster").id, "11")
        XCTAssertEqual(try resolved(s, "Muenster", country: "US").id, "12")
        // The population rule among main names: Vienna (AT) over Vienna (US), with a note.
        let vienna = try resolved(s, "Vienna")
        XCTAssertEqual(vienna.id, "3")
        XCTAssertTrue(vienna.notes[0].hasPrefix("'Vienna' taken as Vienna (AT), id 3, the largest of 2 places"), vienna.notes[0])
    }

    func testNameWithCountrySuffix() throws {
        let s = try set()
        XCTAssertEqual(try resolved(s, "Frankfurt,DE").id, "9")
        XCTAssertEqual(try resolved(s, "Frankfurt am Main, de").id, "9")
        XCTAssertEqual(try resolved(s, "Frankfurt (Oder),DE").id, "10")
        XCTAssertEqual(try s.resolve("Muenster,US").row, 11)
        XCTAssertEqual(try s.resolve("13").row, 12, "an id")
        XCTAssertThrowsError(try s.resolve(name: "Bristol,GB", country: "US")) { XCTAssertTrue("\($0)".contains("names country GB but --country says US"), "\($0)") }
        XCTAssertThrowsError(try s.resolve(name: "Frankfurt,XX")) { XCTAssertEqual($0 as? CityLookupError, .unknownCountry("XX", suggestion: nil)) }
    }

    func testCountryCodesPeopleWrite() throws {
        let s = try set()
        let uk = try resolved(s, "Bristol", country: "UK")
        XCTAssertEqual(uk.id, "13")
        XCTAssertEqual(uk.notes, ["country UK taken as GB, its ISO 3166-1 code"])
        XCTAssertEqual(try ProfileSet.countryCode("el").code, "GR")
        XCTAssertEqual(try ProfileSet.countryCode(" de").code, "DE")
        XCTAssertNil(try ProfileSet.countryCode("DE").note)
        XCTAssertThrowsError(try s.resolve(name: "Bristol", country: "Germany")) {
            XCTAssertEqual("\($0)", "'Germany' is not an ISO 3166-1 alpha-2 country code; use DE (Germany)")
        }
        // A country that excludes every match lists the matches elsewhere, main names first, with regions.
        XCTAssertThrowsError(try s.resolve(name: "Bristol", country: "FR")) { error in
            guard case .notInCountry(let name, let country, let elsewhere) = error as? CityLookupError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "Bristol")
            XCTAssertEqual(country, "FR")
            XCTAssertEqual(elsewhere.map(\.id), ["13", "14", "15"])
            XCTAssertEqual(elsewhere.map(\.region), ["region ENG with London", "Connecticut", "Missouri"])
            XCTAssertEqual(elsewhere.map(\.alsoKnownAs), [nil, nil, "Bristol"])
            XCTAssertTrue("\(error)".contains("  Independence (US, Missouri), id 15, population 117255, also known as Bristol"), "\(error)")
        }
    }

    func testAmbiguityListsShowRegions() throws {
        let s = try set()
        XCTAssertThrowsError(try s.resolve(name: "Springfield")) { error in
            XCTAssertEqual("\(error)", """
            'Springfield' is ambiguous; add --country or use --id:
              Springfield (US, Missouri), id 16, population 170188
              Springfield (US, Massachusetts), id 17, population 154341
            """)
        }
        XCTAssertThrowsError(try s.resolve(name: "Valence")) { error in
            guard case .ambiguous(_, let matches) = error as? CityLookupError else { return XCTFail("\(error)") }
            XCTAssertEqual(matches.map(\.id), ["20", "21", "22"], "by population")
            XCTAssertEqual(matches.map(\.region), ["region 84 with Lyon", "region 60, its largest place", ""])
        }
        // Rows: London 17, Bristol (GB) 12, Lyon 18.
        let labels = s.regionLabels([17, 12, 18])
        XCTAssertEqual(labels, [17: "region ENG, its largest place", 12: "region ENG with London", 18: "region 84, its largest place"])
    }

    func testUnknownNames() throws {
        let s = try set()
        XCTAssertThrowsError(try s.resolve(name: "Atlantis")) { error in
            guard case .unknownName(let name, nil, let closest) = error as? CityLookupError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "Atlantis")
            XCTAssertEqual(closest.count, 5)
        }
        XCTAssertThrowsError(try s.resolve(name: " ' ")) { error in
            guard case .unknownName("'", nil, _) = error as? CityLookupError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try s.resolve(name: "  ")) { XCTAssertEqual($0 as? CityLookupError, .missing) }
    }

    func testMalformedAlternateNamesAreLocatedErrors() throws {
        let csv = temporaryFile("id,name,country,lat,lon,population,alternate_names\n1,A,DE,1,1,10,Aa;Ab\n2,B,DE,1,1,10,Bb;---\n")
        XCTAssertThrowsError(try ProfileLoader().load(path: csv)) { error in
            XCTAssertEqual(error as? InputError, InputError(file: csv, line: 3, field: "alternate_names", "'---' has no letter or digit"))
        }
        let cases: [(String, String)] = [
            (#"{"id":"1","name":"A","country":"DE","lat":1,"lon":1,"population":1,"alternate_names":5}"#, "expected names"),
            (#"{"id":"1","name":"A","country":"DE","lat":1,"lon":1,"population":1,"alternate_names":["Ab",3]}"#, "expected an array of names"),
            (#"{"id":"1","name":"A","country":"DE","lat":1,"lon":1,"population":1,"alternate_names":["A;b"]}"#, "contains ';'"),
            (#"{"id":"1","name":"A","country":"DE","lat":1,"lon":1,"population":1,"alternate_names":"Ab;\u0007x"}"#, "control character"),
        ]
        for (line, message) in cases {
            let path = temporaryFile(line + "\n", name: "p.jsonl")
            XCTAssertThrowsError(try ProfileLoader().load(path: path)) { error in
                let e = error as? InputError
                XCTAssertEqual(e?.line, 1)
                XCTAssertEqual(e?.field, "alternate_names")
                XCTAssertTrue(e?.message.contains(message) ?? false, "\(error)")
            }
        }
        let good = temporaryFile(#"{"id":"1","name":"A","country":"DE","lat":1,"lon":1,"population":1,"alternate_names":["Ä b","Ц"]}"# + "\n", name: "q.jsonl")
        XCTAssertEqual(try ProfileLoader().load(path: good).profiles[0].alternateNames, ["Ä b", "Ц"])
    }

    func testWriterAndLoaderRoundTripAlternateNames() throws {
        var p = CityProfile(id: "1", name: "Colombo", country: "LK", latitude: 6.9, longitude: 79.8, population: 648_034)
        // The second name starts with a combining vowel sign: joined, ';' and it make one Character.
        p.alternateNames = ["කොළඹ", "\u{0DD9}කාළඹ", "Kolamba, old", "\"Colombo\""]
        let path = temporaryFile(ProfileWriter.csv([p]))
        XCTAssertEqual(try ProfileLoader().load(path: path).profiles[0].alternateNames, p.alternateNames)
    }
}
