import Foundation
import XCTest
import TwinMatchTestSupport

final class LearnCLITests: XCTestCase {
    /// A small world with a rule (each western town is twinned with its mirror town 12° east).
    func writeWorld(_ dir: URL) throws -> (profiles: String, pairs: String) {
        var csv = "id,name,country,lat,lon,population\n", pairs = "geonameid_a,geonameid_b,note\n"
        for i in 0..<40 {
            csv += "\(100 + 2 * i),West \(i),FR,\(44 + Double(i) * 0.1),0.5,\(2000 + 500 * i)\n"
            csv += "\(101 + 2 * i),East \(i),DE,\(44 + Double(i) * 0.1),12.5,\(2200 + 500 * i)\n"
            pairs += "\(100 + 2 * i),\(101 + 2 * i),x\n"
        }
        pairs += "100,100,self\n100,99999,unknown\n"
        let p = dir.appendingPathComponent("world.csv").path, q = dir.appendingPathComponent("pairs.csv").path
        try csv.write(toFile: p, atomically: true, encoding: .utf8)
        try pairs.write(toFile: q, atomically: true, encoding: .utf8)
        return (p, q)
    }

    func testSplitFitEvaluateAndRecommendWithAModel() throws {
        let dir = temporaryDirectory()
        let (profiles, pairs) = try writeWorld(dir)
        let train = dir.appendingPathComponent("train.csv").path, test = dir.appendingPathComponent("test.csv").path
        let split = try runTwinmatch(["split-pairs", "--pairs", pairs, "--train", train, "--test", test, "--test-fraction", "0.25"])
        XCTAssertEqual(split.status, 0, split.stderr)
        let model = dir.appendingPathComponent("model.json").path
        let fit = try runTwinmatch(["fit", "--profiles", profiles, "--known-pairs", train, "--out", model, "--random-negatives", "10"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let ranks = dir.appendingPathComponent("ranks.csv").path
        let eval = try runTwinmatch(["evaluate", "--profiles", profiles, "--known-pairs", train, "--test-pairs", test, "--model", model, "--format", "json",
                                     "--ranks", ranks, "--compare", model, "--breakdown"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let errors = try XCTUnwrap(json["standard_errors"] as? [String: Double])
        XCTAssertEqual(Set(errors.keys), ["recall_at_10", "recall_at_50", "recall_at_100", "mrr"])
        XCTAssertTrue(errors.values.allSatisfy { $0 >= 0 && $0 < 0.5 }, "\(errors)")
        let groups = try XCTUnwrap(json["breakdown"] as? [[String: Any]])
        XCTAssertEqual(groups.compactMap { $0["queries"] as? Int }.reduce(0, +), json["queries"] as? Int, "the groups split the queries")
        XCTAssertEqual(groups.count, 6)
        // A model compared with itself: the same figures, no change.
        let compared = try XCTUnwrap(json["compared"] as? [String: Any])
        XCTAssertEqual(compared["recall_at_10"] as? Double, json["recall_at_10"] as? Double)
        let change = try XCTUnwrap((compared["change"] as? [String: Any])?["all"] as? [String: Any])
        XCTAssertEqual(change["recall_at_10"] as? Double, 0)
        XCTAssertEqual(change["gained_at_10"] as? Int, 0)
        // A model with another country reference is compared as it ranks on its own: here its reference
        // makes every French place count as a crowded country's, which sinks the French targets.
        var other = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        let terms = try XCTUnwrap(other["terms"] as? [String])
        let column = try XCTUnwrap(terms.firstIndex(of: "country_places"))
        var reference = try XCTUnwrap(other["reference"] as? [String: Any])
        reference["places"] = ["FR": 12.0, "DE": 0.0]
        other["reference"] = reference
        other["tiers"] = try XCTUnwrap(other["tiers"] as? [[String: Any]]).map { tier -> [String: Any] in
            var tier = tier, weights = tier["weights"] as? [Double] ?? []
            weights[column] = -5
            tier["weights"] = weights
            return tier
        }
        let otherModel = dir.appendingPathComponent("other.json").path
        try JSONSerialization.data(withJSONObject: other).write(to: URL(fileURLWithPath: otherModel))
        func evaluate(_ extra: [String]) throws -> [String: Any] {
            let r = try runTwinmatch(["evaluate", "--profiles", profiles, "--known-pairs", train, "--test-pairs", test, "--format", "json", "--no-baselines"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        }
        let alone = try evaluate(["--model", otherModel])
        let beside = try XCTUnwrap(try evaluate(["--model", model, "--compare", otherModel])["compared"] as? [String: Any])
        XCTAssertLessThan(try XCTUnwrap(alone["recall_at_10"] as? Double), try XCTUnwrap(json["recall_at_10"] as? Double), "the reference counts")
        XCTAssertEqual(beside["recall_at_10"] as? Double, alone["recall_at_10"] as? Double)
        XCTAssertEqual(beside["mrr"] as? Double, alone["mrr"] as? Double)
        let table = try runTwinmatch(["evaluate", "--profiles", profiles, "--known-pairs", train, "--test-pairs", test, "--model", model,
                                      "--no-baselines", "--compare", model])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertEqual(table.stdout.split(separator: "\n").filter { line in ["± s.e. ", "change ", "compared "].contains { line.hasPrefix($0) } }.count, 4,
                       table.stdout)
        let rankLines = try String(contentsOfFile: ranks, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rankLines.first, "query_id,target_id,cold,rank")
        XCTAssertEqual(rankLines.count, 1 + (try XCTUnwrap(json["queries"] as? Int)), "one line per query")
        for key in ["queries", "recall_at_10", "recall_at_50", "recall_at_100", "mrr", "cold", "warm", "baselines"] { XCTAssertNotNil(json[key], key) }
        let baselines = try XCTUnwrap(json["baselines"] as? [String: Any])
        XCTAssertEqual(Set(baselines.keys), ["random", "popularity", "distance", "size", "content"])
        XCTAssertGreaterThan(try XCTUnwrap(json["recall_at_10"] as? Double), 0.3, eval.stdout)
        let rec = try runTwinmatch(["recommend", "--profiles", profiles, "--known-pairs", train, "--model", model, "--id", "100", "--format", "json", "--limit", "3", "--no-spread"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let r = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(rec.stdout.utf8)) as? [String: Any])
        for result in try XCTUnwrap(r["results"] as? [[String: Any]]) {
            let contributions = try XCTUnwrap(result["terms"] as? [String: Double])
            XCTAssertEqual(contributions.values.reduce(0, +), try XCTUnwrap(result["raw_score"] as? Double), accuracy: 1e-4)
            let reasons = try XCTUnwrap(result["reasons"] as? [[String: Any]])
            let points = try reasons.map { try XCTUnwrap($0["points"] as? Double) }.reduce(0, +) + (try XCTUnwrap(result["baseline"] as? Double))
            XCTAssertEqual(points, try XCTUnwrap(result["score"] as? Double), accuracy: 0.1, "the families' points add up to the score")
            XCTAssertNotNil(contributions["near_300km"] ?? contributions["country_affinity"], "learned terms are reported")
        }
        // batch --terms: the same ranking as recommend, each score split into the same terms.
        let queries = dir.appendingPathComponent("queries.txt").path, jsonl = dir.appendingPathComponent("top.jsonl").path
        try "100\n".write(toFile: queries, atomically: true, encoding: .utf8)
        let batch = try runTwinmatch(["batch", "--profiles", profiles, "--known-pairs", train, "--model", model, "--queries", queries,
                                      "--k", "3", "--format", "jsonl", "--terms", "--out", jsonl])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let line = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonl))) as? [String: Any])
        let neighbors = try XCTUnwrap(line["neighbors"] as? [[String: Any]])
        let expected = try XCTUnwrap(r["results"] as? [[String: Any]])
        XCTAssertEqual(neighbors.map { $0["candidate_id"] as? String }, expected.map { $0["id"] as? String })
        for n in neighbors {
            let terms = try XCTUnwrap(n["terms"] as? [String: Double])
            XCTAssertEqual(terms.values.reduce(0, +), try XCTUnwrap(n["score"] as? Double), accuracy: 1e-4)
        }
        for (n, e) in zip(neighbors, expected) {
            XCTAssertEqual(try XCTUnwrap(n["score"] as? Double), try XCTUnwrap(e["raw_score"] as? Double), accuracy: 1e-5, "batch writes the raw score")
        }
        // The ranks evaluate counts are the positions in batch's lists (the same candidates, the same scores).
        let ranked = try rankLines.dropFirst().map { line -> (String, String, Int) in
            let f = line.split(separator: ",").map(String.init)
            return (f[0], f[1], try XCTUnwrap(Int(f[3])))
        }
        try Set(ranked.map(\.0)).sorted().joined(separator: "\n").write(toFile: queries, atomically: true, encoding: .utf8)
        let all = try runTwinmatch(["batch", "--profiles", profiles, "--known-pairs", train, "--model", model, "--queries", queries,
                                    "--k", "20", "--allow-same-country", "--out", jsonl + ".csv"])
        XCTAssertEqual(all.status, 0, all.stderr)
        var position: [String: Int] = [:]
        for line in try String(contentsOfFile: jsonl + ".csv", encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            position[f[0] + "→" + f[2]] = Int(f[1])
        }
        for (q, t, rank) in ranked where rank <= 20 { XCTAssertEqual(position[q + "→" + t], rank, "\(q) → \(t)") }
        XCTAssertGreaterThan(ranked.filter { $0.2 <= 20 }.count, 0)
        let csvTerms = try runTwinmatch(["batch", "--profiles", profiles, "--k", "3", "--terms", "--out", jsonl])
        XCTAssertNotEqual(csvTerms.status, 0, "--terms needs JSON Lines")
        let explain = try runTwinmatch(["explain", "100", "101", "--profiles", profiles, "--known-pairs", pairs, "--model", model, "--verbose"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("existing partnership") && explain.stdout.contains("country_affinity"), explain.stdout)
        XCTAssertTrue(explain.stdout.contains("its country often twins with the query's"), "each term says what it means")
    }

    /// Cross-validation folds are disjoint test parts that together hold every pair once; fold 0 of 5 is the
    /// default 20 % split.
    func testSplitPairsFolds() throws {
        let dir = temporaryDirectory()
        let (_, pairs) = try writeWorld(dir)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func lines(_ file: String) throws -> [Substring] { try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").dropFirst().map { $0 } }
        XCTAssertEqual(try runTwinmatch(["split-pairs", "--pairs", pairs, "--train", path("d-train.csv"), "--test", path("d-test.csv")]).status, 0)
        var tested: [Substring] = []
        for fold in 0..<3 {
            let r = try runTwinmatch(["split-pairs", "--pairs", pairs, "--folds", "3", "--fold", "\(fold)", "--train", path("train\(fold).csv"), "--test", path("test\(fold).csv")])
            XCTAssertEqual(r.status, 0, r.stderr)
            let (train, test) = (try lines(path("train\(fold).csv")), try lines(path("test\(fold).csv")))
            XCTAssertEqual(Set(train).intersection(test), [], "fold \(fold)")
            XCTAssertEqual(train.count + test.count, try lines(pairs).count)
            tested += test
        }
        XCTAssertEqual(tested.sorted(), try lines(pairs).sorted(), "every pair is tested once")
        let first = try runTwinmatch(["split-pairs", "--pairs", pairs, "--folds", "5", "--fold", "0", "--train", path("f-train.csv"), "--test", path("f-test.csv")])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try lines(path("f-test.csv")), try lines(path("d-test.csv")))
        for bad in [["--folds", "5"], ["--folds", "5", "--fold", "5"], ["--folds", "1", "--fold", "0"], ["--folds", "5", "--fold", "1", "--test-fraction", "0.3"]] {
            let r = try runTwinmatch(["split-pairs", "--pairs", pairs, "--train", path("x.csv"), "--test", path("y.csv")] + bad)
            XCTAssertEqual(r.status, 64, "\(bad): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--fold"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.csv")), "no output on bad input")
        }
    }

    /// `cross-validate` gives, fold by fold, what `split-pairs --folds`, `fit` and `evaluate` give.
    func testCrossValidateMatchesTheStepByStepRun() throws {
        let dir = temporaryDirectory()
        let (profiles, pairs) = try writeWorld(dir)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let settings = ["--random-negatives", "10", "--partnered-negatives", "3"]
        let cv = try runTwinmatch(["cross-validate", "--profiles", profiles, "--pairs", pairs, "--folds", "3", "--format", "json",
                                   "--ranks", path("ranks.csv"), "--output", path("cv.json")] + settings)
        XCTAssertEqual(cv.status, 0, cv.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("cv.json")))) as? [String: Any])
        let folds = try XCTUnwrap(json["fold_results"] as? [[String: Any]])
        XCTAssertEqual(folds.compactMap { $0["fold"] as? Int }, [0, 1, 2])
        XCTAssertEqual(folds.compactMap { $0["test_pairs"] as? Int }.reduce(0, +), 40, "every valid pair is tested once")
        let ranks = try String(contentsOfFile: path("ranks.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(ranks.first, "fold,query_id,target_id,cold,rank")
        XCTAssertEqual(ranks.count, 1 + 80)

        XCTAssertEqual(try runTwinmatch(["split-pairs", "--pairs", pairs, "--folds", "3", "--fold", "1", "--train", path("t.csv"), "--test", path("s.csv")]).status, 0)
        let fit = try runTwinmatch(["fit", "--profiles", profiles, "--known-pairs", path("t.csv"), "--out", path("m.json")] + settings)
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let eval = try runTwinmatch(["evaluate", "--profiles", profiles, "--known-pairs", path("t.csv"), "--test-pairs", path("s.csv"),
                                     "--model", path("m.json"), "--no-baselines", "--format", "json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let single = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        for key in ["queries", "recall_at_10", "recall_at_50", "mrr"] {
            XCTAssertEqual("\(folds[1][key] ?? "none")", "\(single[key] ?? "none")", key)
        }
        let mean = try XCTUnwrap((json["all"] as? [String: Any])?["mean"] as? [String: Double])
        let byFold = folds.compactMap { $0["mrr"] as? Double }
        XCTAssertEqual(try XCTUnwrap(mean["mrr"]), byFold.reduce(0, +) / 3, accuracy: 2e-6)

        // The fitting options reach the fits: fold 1's fit draws the examples `fit` draws with them, and
        // fit's defaults draw other ones.
        let examples = fit.stderr.split(separator: "\n").filter { $0.hasPrefix("fold ") && $0.hasSuffix("examples") }
        XCTAssertEqual(examples.count, 5, fit.stderr)
        XCTAssertTrue(examples.allSatisfy { cv.stderr.contains("  " + $0) }, cv.stderr)
        let defaults = try runTwinmatch(["cross-validate", "--profiles", profiles, "--pairs", pairs, "--folds", "3", "--fold", "1"])
        XCTAssertEqual(defaults.status, 0, defaults.stderr)
        XCTAssertFalse(examples.contains { defaults.stderr.contains("  " + $0) }, defaults.stderr)

        let table = try runTwinmatch(["cross-validate", "--profiles", profiles, "--pairs", pairs, "--folds", "4", "--fold", "3"] + settings)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("4-fold cross-validation") && table.stdout.contains("mean"), table.stdout)
        for bad in [["--folds", "1"], ["--folds", "3", "--fold", "3"], ["--fold", "1", "--fold", "1"], ["--format", "csv"], ["--l2", "-1"]] {
            let r = try runTwinmatch(["cross-validate", "--profiles", profiles, "--pairs", pairs, "--output", path("x.json")] + bad)
            XCTAssertEqual(r.status, 64, "\(bad): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.json")), "no output on bad input")
        }
    }

    func testBadModelAndPairsFailCleanly() throws {
        let dir = temporaryDirectory()
        let (profiles, pairs) = try writeWorld(dir)
        let model = dir.appendingPathComponent("model.json").path
        try #"{"schemaVersion": 7, "terms": [], "warm": [], "cold": [], "provenance": {}}"#.write(toFile: model, atomically: true, encoding: .utf8)
        let r = try runTwinmatch(["recommend", "--profiles", profiles, "--model", model, "--id", "100"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("schema version 7"), r.stderr)
        let noColumn = dir.appendingPathComponent("bad.csv").path
        try "a,b\n100,101\n".write(toFile: noColumn, atomically: true, encoding: .utf8)
        let bad = try runTwinmatch(["fit", "--profiles", profiles, "--known-pairs", noColumn, "--out", model])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("bad.csv:1: field 'geonameid_a'"), bad.stderr)
        let ok = try runTwinmatch(["recommend", "--profiles", profiles, "--known-pairs", pairs, "--id", "100"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stderr.contains("1 naming ids not in the profiles") && ok.stderr.contains("1 self-pairs"), ok.stderr)
    }
}
