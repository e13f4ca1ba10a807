import Foundation
import XCTest
import TwinMatchTestSupport

final class RecommendCLITests: XCTestCase {
    /// The default: the learned model with the shipped partnerships, 10 candidates from other countries
    /// whose terms add up to the raw score, the shown score on 0–100 and in the raw score's order.
    func testAnnecyWithTheDefaultModel() throws {
        let r = try runTwinmatch(["recommend", "--city", "Annecy", "--limit", "10", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "the default prints nothing but the list")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 10)
        var previous = Double.infinity
        for result in results {
            XCTAssertNotEqual(result["country"] as? String, "FR")
            XCTAssertFalse(["2951825", "3164603", "2653261"].contains(result["id"] as? String ?? ""), "known partners are never proposed")
            let raw = try XCTUnwrap(result["raw_score"] as? Double)
            let terms = try XCTUnwrap(result["terms"] as? [String: Double])
            XCTAssertTrue(terms.keys.contains("log_walk_two") || terms.keys.contains("size_product"), "model terms: \(terms.keys)")
            XCTAssertEqual(terms.values.reduce(0, +), raw, accuracy: 1e-4)
            let score = try XCTUnwrap(result["score"] as? Double)
            XCTAssertTrue(score >= 0 && score <= 100)
            XCTAssertLessThanOrEqual(raw, previous)
            previous = raw
        }
    }

    /// The content similarity behind --content: contributions per feature group add up to the score.
    func testAnnecyWithContentSimilarity() throws {
        let r = try runTwinmatch(["recommend", "--city", "Annecy", "--limit", "10", "--format", "json", "--content"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let query = try XCTUnwrap(json["query"] as? [String: Any])
        XCTAssertEqual(query["name"] as? String, "Annecy")
        XCTAssertEqual(query["country"] as? String, "FR")
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 10)
        var previous = Double.infinity
        for (i, result) in results.enumerated() {
            XCTAssertEqual(result["rank"] as? Int, i + 1)
            XCTAssertNotEqual(result["country"] as? String, "FR")
            XCTAssertNotEqual(result["id"] as? String, "2951825", "Bayreuth is an existing partner")
            let score = try XCTUnwrap(result["raw_score"] as? Double)
            let contributions = try XCTUnwrap(result["terms"] as? [String: Double])
            XCTAssertEqual(Set(contributions.keys), ["size", "geography", "themes", "complementarity", "migration", "languages", "networks", "country"])
            XCTAssertEqual(contributions.values.reduce(0, +), score, accuracy: 1e-5)
            XCTAssertEqual(try XCTUnwrap(result["score"] as? Double), 100 * score, accuracy: 0.01, "the content scale is 100 × the raw score")
            XCTAssertLessThanOrEqual(score, previous)
            previous = score
            XCTAssertNotNil(result["distance_km"] as? Double)
            XCTAssertNotNil(result["shared_themes"] as? [String])
        }
    }

    func testExplainAnnecyBayreuth() throws {
        let r = try runTwinmatch(["explain", "Annecy", "Bayreuth", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["existing_partnership"] as? Bool, true)
        let contributions = try XCTUnwrap(json["terms"] as? [String: Double])
        XCTAssertEqual(contributions.values.reduce(0, +), try XCTUnwrap(json["raw_score"] as? Double), accuracy: 1e-5)
        XCTAssertEqual(json["schema_version"] as? Int, 2)
        XCTAssertFalse(try XCTUnwrap(json["suggested_topics"] as? [[String: Any]]).isEmpty)
        XCTAssertTrue(try XCTUnwrap(json["shared_themes"] as? [String]).contains("culture-heritage"))
    }

    /// Issue 13: `partners` lists the known partners with where each comes from; an empty result says which
    /// filter emptied it, on standard error in table mode and as `notice` in JSON.
    func testPartnersAndEmptyResultNotice() throws {
        let table = try runTwinmatch(["partners", "--city", "Annecy"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("Bayreuth") && table.stdout.contains("Annecy's profile"), table.stdout)
        XCTAssertTrue(table.stdout.contains("Cheltenham") && table.stdout.contains("twin_pairs.csv"), "the shipped public pairs: \(table.stdout)")
        let json = try runTwinmatch(["partners", "--city", "Annecy", "--format", "json"])
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["schema_version"] as? Int, 2)
        let partners = try XCTUnwrap(parsed["partners"] as? [[String: Any]])
        XCTAssertTrue(partners.contains { $0["name"] as? String == "Bayreuth" && ($0["sources"] as? [String])?.isEmpty == false })
        let empty = try runTwinmatch(["recommend", "--city", "Idrija", "--theme", "youth", "--theme", "circular-economy", "--max-km", "300"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("notice: no candidate for Idrija passes every filter"), empty.stderr)
        XCTAssertTrue(empty.stderr.contains("have theme youth") && empty.stderr.contains("theme circular-economy"), empty.stderr)
        let emptyJSON = try runTwinmatch(["recommend", "--city", "Idrija", "--theme", "youth", "--theme", "circular-economy", "--max-km", "300", "--format", "json"])
        let notice = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(emptyJSON.stdout.utf8)) as? [String: Any])
        XCTAssertTrue((notice["notice"] as? String)?.contains("have theme youth") == true, emptyJSON.stdout)
        XCTAssertEqual((notice["results"] as? [Any])?.count, 0)
    }

    /// Networks filter by membership (by slug or name); stated interests and networks nobody knows are
    /// usage errors (exit 64) naming the closest.
    func testNetworksAndStatedInterests() throws {
        let r = try runTwinmatch(["recommend", "--city", "Bergen,NO", "--network", "Energy Cities", "--limit", "4", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let results = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 4)
        for x in results { XCTAssertTrue((x["networks"] as? [String])?.contains("Energy Cities") == true, "\(x)") }
        let unknown = try runTwinmatch(["recommend", "--city", "Bergen,NO", "--network", "energy citie"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("unknown network 'energy citie'; closest: energy-cities"), unknown.stderr)
        let badTheme = try runTwinmatch(["recommend", "--city", "Idrija", "--seeks", "yuoth"])
        XCTAssertEqual(badTheme.status, 64)
        XCTAssertTrue(badTheme.stderr.contains("closest known: youth"), badTheme.stderr)
        let seeks = try runTwinmatch(["recommend", "--city", "Idrija", "--seeks", "circular-economy", "--limit", "5", "--format", "json"])
        XCTAssertEqual(seeks.status, 0, seeks.stderr)
        let listed = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(seeks.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        XCTAssertTrue(listed.contains { ($0["terms"] as? [String: Double])?["complement"].map { $0 > 0 } == true }, seeks.stdout)
    }

    /// Modes, shaping and the new filters on the default dataset, and each of their bad inputs a usage
    /// error (exit 64) naming the option.
    func testModesShapesAndTheirErrors() throws {
        func json(_ args: [String]) throws -> [[String: Any]] {
            let r = try runTwinmatch(["recommend"] + args + ["--format", "json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            return try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        }
        let diaspora = try json(["--city", "Cuneo", "--mode", "diaspora", "--max-per-country", "2", "--limit", "8"])
        XCTAssertEqual(diaspora.count, 8)
        XCTAssertTrue(diaspora.allSatisfy { ($0["terms"] as? [String: Double])?["diaspora"].map { $0 > 0 } == true })
        let countries = Dictionary(grouping: diaspora, by: { $0["country"] as? String ?? "" })
        XCTAssertLessThanOrEqual(countries.values.map(\.count).max() ?? 0, 2)
        let mentors = try json(["--city", "Idrija", "--mode", "complement", "--seeks", "energy-transition", "--limit", "5"])
        for m in mentors {
            let facts = (m["reasons"] as? [[String: Any]])?.first { $0["family"] as? String == "offers_seeks" }?["facts"] as? [String]
            XCTAssertTrue(facts?.first?.hasPrefix("offers energy-transition, which Idrija seeks") == true, "\(m)")
        }
        let alpine = try json(["--city", "Idrija", "--candidate-group", "alpine-convention", "--limit", "6"])
        let alpineCountries = Set(["AT", "CH", "DE", "FR", "IT", "LI", "MC", "SI"])
        XCTAssertTrue(alpine.allSatisfy { alpineCountries.contains($0["country"] as? String ?? "") }, "\(alpine)")
        let piedmont = try json(["--city", "Lyon", "--candidate-region", "Piedmont", "--limit", "4"])
        XCTAssertTrue(piedmont.allSatisfy { $0["region"] as? String == "12" && $0["country"] as? String == "IT" }, "\(piedmont)")
        let mutual = try json(["--city", "Annecy", "--mutual", "--limit", "3"])
        XCTAssertTrue(mutual.allSatisfy { ($0["reasons"] as? [[String: Any]])?.contains { $0["family"] as? String == "their_view" } == true })
        for (args, option) in [(["--city", "Kobarid", "--mode", "complement"], "--seeks"),
                               (["--city", "Annecy", "--candidate-country", "IT", "--exclude-country", "it"], "--exclude-country"),
                               (["--city", "Annecy", "--candidate-group", "nato"], "country group"),
                               (["--city", "Annecy", "--candidate-region", "Atlantis"], "unknown region"),
                               (["--city", "Annecy", "--mode", "diaspora", "--blend", "peer=1"], "--blend"),
                               (["--city", "Annecy", "--blend", "friends=1"], "--blend"),
                               (["--city", "Annecy", "--relevance", "0.5"], "--diverse"),
                               (["--city", "Annecy", "--max-per-country", "0"], "--max-per-country"),
                               (["--city", "Annecy", "--min-km", "500", "--max-km", "100"], "--min-km")] {
            let r = try runTwinmatch(["recommend"] + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
        }
        let explained = try runTwinmatch(["explain", "Idrija", "Muggia", "--mode", "complement", "--seeks", "energy-transition", "--format", "json"])
        XCTAssertEqual(explained.status, 0, explained.stderr)
        let reasons = (try JSONSerialization.jsonObject(with: Data(explained.stdout.utf8)) as? [String: Any])?["reasons"] as? [[String: Any]]
        let offered = reasons?.first { $0["family"] as? String == "offers_seeks" }
        XCTAssertTrue((offered?["facts"] as? [String])?.first?.hasPrefix("offers energy-transition, which Idrija seeks") == true, explained.stdout)
        XCTAssertGreaterThan(offered?["points"] as? Double ?? 0, 0)
        let batch = try runTwinmatch(["batch", "--k", "3", "--mutual"])
        XCTAssertEqual(batch.status, 64)
        XCTAssertTrue(batch.stderr.contains("--mutual applies to recommend"), batch.stderr)
    }

    func testFormatsAndFilters() throws {
        let dir = temporaryDirectory()
        let profiles = dir.appendingPathComponent("p.csv").path
        try fixture.write(toFile: profiles, atomically: true, encoding: .utf8)
        let csv = try runTwinmatch(["recommend", "--profiles", profiles, "--id", "1", "--format", "csv", "--content"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("rank,id,name,country,region,lat,lon,population,distance_km,score,raw_score,points_size,"), String(lines[0]))
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertEqual(Set(header).count, header.count, "every column name is unique: \(header)")
        XCTAssertTrue(header.contains("country") && header.contains("score_country"), "the place's country and the country score apart")
        XCTAssertEqual(lines.count, 5, "four candidates abroad: \(csv.stdout)")
        let table = try runTwinmatch(["recommend", "--profiles", profiles, "--city", "Annecy", "--country", "FR", "--allow-same-country", "--max-km", "200", "--content"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("Lyon"), table.stdout)
        XCTAssertFalse(table.stdout.contains("Dakar"), table.stdout)
        let out = dir.appendingPathComponent("out.json").path
        let written = try runTwinmatch(["recommend", "--profiles", profiles, "--id", "1", "--format", "json", "--output", out])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))))
    }

    func testUnknownAndAmbiguousCities() throws {
        let dir = temporaryDirectory()
        let profiles = dir.appendingPathComponent("p.csv").path
        try fixture.write(toFile: profiles, atomically: true, encoding: .utf8)
        let unknown = try runTwinmatch(["recommend", "--profiles", profiles, "--city", "Anecy"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("Annecy (FR, region 84 with Lyon), id 1"), unknown.stderr)
        let ambiguous = try runTwinmatch(["recommend", "--profiles", profiles, "--city", "Valence"])
        XCTAssertNotEqual(ambiguous.status, 0)
        XCTAssertTrue(ambiguous.stderr.contains("ambiguous") && ambiguous.stderr.contains("id 8") && ambiguous.stderr.contains("id 9"), ambiguous.stderr)
        let chosen = try runTwinmatch(["recommend", "--profiles", profiles, "--city", "Valence", "--country", "ES"])
        XCTAssertEqual(chosen.status, 0, chosen.stderr)
    }

    func testBadProfilesFailCleanlyWithoutOutput() throws {
        let dir = temporaryDirectory()
        let profiles = dir.appendingPathComponent("bad.csv").path
        try "id,name,country,lat,lon,population\n1,A,FR,45,6,100\n2,B,XX,45,6,100\n".write(toFile: profiles, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.json").path
        let r = try runTwinmatch(["recommend", "--profiles", profiles, "--id", "1", "--output", out])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("bad.csv:3: field 'country'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["bad.csv"], "no temporary file left behind")
    }

    func testVersionReportsBLASAndHonoursTheUserCoreType() throws {
        let r = try runTwinmatch(["--version"], environment: ["OPENBLAS_CORETYPE": "Haswell"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("BLAS:"), r.stdout)
        if r.stdout.contains("OpenBLAS") { XCTAssertTrue(r.stdout.contains("kernel Haswell"), r.stdout) }
    }
}

let fixture = """
id,name,country,region,lat,lon,population,languages,themes,offers,seeks,migration_links,networks,partners
1,Annecy,FR,84,45.899,6.129,49232,fr,tourism;creative-industries:0.8,creative-industries,energy-transition,,,2
2,Bayreuth,DE,02,49.948,11.578,72940,de,culture-heritage;creative-industries,,,,,1
3,Vicenza,IT,20,45.549,11.549,111980,it,culture-heritage;tourism,energy-transition,,,,
4,Zadar,HR,15,44.119,15.231,67309,hr,culture-heritage:0.5;tourism,,creative-industries,,,
5,Lyon,FR,84,45.748,4.847,522969,fr,intercultural-dialogue,,,DZ:0.3,intercultural-cities,
6,Dakar,SN,01,14.693,-17.447,2476400,fr;wo,migration-integration,,,,,
8,Valence,FR,84,44.933,4.892,64726,fr,,,,,,
9,Valence,ES,60,39.470,-0.376,20000,es,,,,,,

"""

/// Every subcommand's help ends its description with a real example, and the cheap ones run as written.
final class HelpExamplesTests: XCTestCase {
    func testEverySubcommandShowsAnExampleThatRuns() throws {
        let top = try runTwinmatch(["--help"])
        XCTAssertEqual(top.status, 0)
        let subcommands = top.stdout.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst()
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "help" && $0 != "See" }
        XCTAssertTrue(subcommands.contains("recommend") && subcommands.contains("report"), "\(subcommands)")
        let runnable: Set<String> = ["recommend", "explain", "partners", "consortium", "revive"]
        for sub in subcommands {
            let help = try runTwinmatch([sub, "--help"])
            XCTAssertEqual(help.status, 0, sub)
            let example = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("Example: twinmatch \(sub)") }
            guard let example else { XCTFail("`twinmatch \(sub) --help` shows no example"); continue }
            guard runnable.contains(sub) else { continue }
            let args = example.dropFirst("Example: twinmatch ".count).split(separator: " ").map(String.init)
            let r = try runTwinmatch(args, currentDirectory: temporaryDirectory(prefix: "example"))
            XCTAssertEqual(r.status, 0, "\(example): \(r.stderr)")
            XCTAssertFalse(r.stdout.isEmpty, example)
        }
    }
}
