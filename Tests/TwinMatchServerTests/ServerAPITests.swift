import Foundation
import TwinMatchCore
import TwinMatchTestSupport
import XCTest

/// The API of a real `twinmatch serve` over the default dataset: every endpoint's answer against the
/// checked-in OpenAPI document, the bad requests a public server gets, and a clean stop.
final class ServerAPITests: XCTestCase {
    nonisolated(unsafe) static var server: ServerProcess?
    nonisolated(unsafe) static var validator: SchemaValidator?

    override class func setUp() {
        super.setUp()
        server = try? ServerProcess()
        let spec = repositoryRoot.appendingPathComponent("Sources/TwinMatchServer/Public/openapi.json")
        validator = (try? Data(contentsOf: spec)).flatMap { try? SchemaValidator(openAPI: $0) }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    var server: ServerProcess { get throws {
        guard let s = Self.server else { throw XCTSkip("the server could not start (is the default dataset built?)") }
        return s
    } }

    /// GETs `path`, checks the status and the body against the schema `name`, and returns the body.
    @discardableResult
    func answer(_ path: String, status: Int = 200, schema name: String, method: String = "GET", body: Data? = nil,
                file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let a = try server.request(path, method: method, body: body)
        XCTAssertEqual(a.status, status, "\(path): \(a.text.prefix(500))", file: file, line: line)
        XCTAssertTrue(a.headers["content-type"]?.hasPrefix("application/json") ?? false, "\(path): \(a.headers)", file: file, line: line)
        let json = try XCTUnwrap(try a.json() as? [String: Any], file: file, line: line)
        let problems = try XCTUnwrap(Self.validator, "openapi.json unreadable").problems(json, against: name)
        XCTAssertEqual(problems, [], "\(path) against \(name)", file: file, line: line)
        return json
    }

    func testHealthAndVocabulary() throws {
        let h = try answer("/v1/health", schema: "Health")
        XCTAssertEqual(h["places"] as? Int, 223_889)
        let v = try answer("/v1/vocabulary", schema: "Vocabulary")
        XCTAssertTrue((v["themes"] as? [String])?.contains("energy-transition") ?? false)
    }

    func testSearchFindsLocalAndAlternateNamesAsPeopleType() throws {
        for (typed, id) in [("munc", "2867714"), ("Münch", "2867714"), ("muench", "2867714"), ("Annec", "3037543"), ("krak", "3094802"), ("Mailand", "3173435")] {
            let json = try answer("/v1/cities?q=\(typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&limit=5", schema: "Suggestions")
            let ids = (json["cities"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            XCTAssertEqual(ids.first, id, "\(typed): \(ids)")
        }
        let fr = try answer("/v1/cities?q=paris&country=fr&limit=3", schema: "Suggestions")
        XCTAssertEqual(((fr["cities"] as? [[String: Any]])?.first?["country"] as? String), "FR")
    }

    func testCityRecommendationsPairsRevivalAndConsortium() throws {
        let city = try answer("/v1/cities/3037543", schema: "City")
        XCTAssertEqual(((city["partners"] as? [[String: Any]]) ?? []).count, 4)
        let list = try answer("/v1/cities/3037543/recommendations?limit=5&include-map=true", schema: "Shortlist")
        let results = list["results"] as? [[String: Any]] ?? []
        XCTAssertEqual(results.count, 5)
        XCTAssertTrue((list["map_svg"] as? String)?.hasPrefix("<svg") ?? false)
        // The same list as `twinmatch recommend --format json`.
        let cli = try runTwinmatch(["recommend", "--city", "Annecy", "--limit", "5", "--format", "json"])
        let cliResults = (try JSONSerialization.jsonObject(with: cli.stdoutData) as? [String: Any])?["results"] as? [[String: Any]] ?? []
        XCTAssertEqual(results.compactMap { $0["id"] as? String }, cliResults.compactMap { $0["id"] as? String })
        let diaspora = try answer("/v1/cities/3177700/recommendations?mode=diaspora&max-per-country=2&candidate-group=eu", schema: "Shortlist")
        XCTAssertFalse((diaspora["results"] as? [Any] ?? []).isEmpty)
        try answer("/v1/pairs/3037543/2951825?mode=complement", schema: "Explanation")
        try answer("/v1/cities/3037543/revival", schema: "Revival")
        let body = Data(#"{"city": "3037543", "size": 4, "candidate-country": ["DE", "IT", "CH", "AT"]}"#.utf8)
        let group = try answer("/v1/consortium", schema: "Consortium", method: "POST", body: body)
        XCTAssertEqual((group["members"] as? [Any])?.count, 4)
        let csv = try server.request("/v1/cities/3037543/recommendations?limit=3&format=csv")
        XCTAssertEqual(csv.status, 200)
        XCTAssertTrue(csv.headers["content-disposition"]?.contains("partners-Annecy.csv") ?? false)
        XCTAssertEqual(csv.text.split(separator: "\n").count, 4)
    }

    func testBadRequestsAreClearJSONErrorsAndTheServerKeepsServing() throws {
        let cases: [(String, Int, String?)] = [
            ("/v1/cities/3037543/recommendations?limit=-1", 400, "limit"),
            ("/v1/cities/3037543/recommendations?limit=100000000000000000000", 400, "limit"),
            ("/v1/cities/3037543/recommendations?mode=twins", 400, "mode"),
            ("/v1/cities/3037543/recommendations?theme=nonsense", 400, "theme"),
            ("/v1/cities/3037543/recommendations?colour=red", 400, "colour"),
            ("/v1/cities/3037543/recommendations?min-km=9&max-km=3", 400, "min-km"),
            ("/v1/cities/3037543/recommendations?relevance=0.5", 400, "relevance"),
            ("/v1/cities/3037543/recommendations?max-km=abc", 400, "max-km"),
            ("/v1/cities/3037543/recommendations?limit=1&limit=2", 400, "limit"),
            ("/v1/cities/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400, "id"),
            ("/v1/cities/..%2F..%2Fetc%2Fpasswd", 400, "id"),
            ("/v1/cities/999999999999", 404, "id"),
            ("/v1/cities?q=", 400, "q"),
            ("/v1/cities?q=%E0%A4", 400, nil),
            ("/v1/cities?q=\(String(repeating: "a", count: 300))", 400, "q"),
            ("/v1/pairs/3037543/3037543", 400, "b"),
            ("/v1/nowhere", 404, nil),
        ]
        for (path, status, parameter) in cases {
            let json = try answer(path, status: status, schema: "Error")
            let error = json["error"] as? [String: Any]
            XCTAssertEqual(error?["parameter"] as? String, parameter, path)
            XCTAssertFalse((error?["message"] as? String ?? "").contains("/work/"), path)
        }
        let injection = try answer("/v1/cities?q=%27%3B%20DROP%20TABLE%20cities%3B--%3Cb%3E", schema: "Suggestions")
        XCTAssertEqual(injection["q"] as? String, "'; DROP TABLE cities;--<b>")
        let unknown = try answer("/v1/cities/Annecy", status: 404, schema: "Error")
        XCTAssertEqual((((unknown["error"] as? [String: Any])?["suggestions"] as? [[String: Any]])?.first?["id"] as? String), "3037543")
        try answer("/v1/consortium", status: 400, schema: "Error", method: "POST", body: Data("not json".utf8))
        try answer("/v1/consortium", status: 400, schema: "Error", method: "POST", body: Data(#"{"city": "3037543"}"#.utf8))
        try answer("/v1/consortium", status: 400, schema: "Error", method: "POST", body: Data(#"{"city": "3037543", "size": 99}"#.utf8))
        try answer("/v1/consortium", status: 400, schema: "Error", method: "POST", body: Data(#"{"city": {"nested": 1}, "size": 4}"#.utf8))
        try answer("/v1/consortium", status: 413, schema: "Error", method: "POST", body: Data(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024))
        try answer("/v1/health", status: 404, schema: "Error", method: "DELETE")
        try answer("/v1/health", schema: "Health")
        XCTAssertTrue(try server.stderr.contains(#""path":"/v1/health","status":200"#))
    }

    func testThePageIsServedWithAStrictPolicy() throws {
        let page = try server.request("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("<script src=\"/app.js\""))
        XCTAssertTrue(page.headers["content-security-policy"]?.contains("script-src 'self'") ?? false)
        for asset in ["/app.js", "/app.css", "/openapi.json"] { XCTAssertEqual(try server.request(asset).status, 200, asset) }
    }

    /// SIGTERM ends it cleanly (exit 0) after the request in flight is answered.
    func testStopsCleanlyOnSIGTERM() throws {
        let own = try ServerProcess(arguments: ["--quiet"])
        let answered = Locked<Int?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let status = try? own.request("/v1/cities/2988507/recommendations?limit=50").status
            answered.withLock { $0 = status }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(own.stop(), 0, own.stderr)
        done.wait()
        XCTAssertEqual(answered.withLock { $0 }, 200)
        XCTAssertTrue(own.stderr.contains("stopped"), own.stderr)
    }
}

/// The checked-in OpenAPI document is a valid OpenAPI 3.1 document (openapi-spec-validator, where installed).
final class OpenAPIDocumentTests: XCTestCase {
    func testTheDocumentValidates() throws {
        let spec = repositoryRoot.appendingPathComponent("Sources/TwinMatchServer/Public/openapi.json").path
        let check = "import json,sys\ntry:\n from openapi_spec_validator import validate\nexcept ImportError:\n sys.exit(77)\nvalidate(json.load(open(sys.argv[1])))\nprint('valid')"
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", check, spec])
        if result.status == 77 { throw XCTSkip("openapi-spec-validator is not installed (pip install openapi-spec-validator)") }
        XCTAssertEqual(result.status, 0, result.stderr)
    }
}
