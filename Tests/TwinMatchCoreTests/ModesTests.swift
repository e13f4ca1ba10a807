import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// The complement and diaspora fits against their definitions, and every blend's list against a full sort.
final class ModesTests: XCTestCase {
    /// `C(q, c)` written from the profiles: the mean over q's seeks and offers of 0.75 × the candidate's
    /// L2-normalised offers (seeks) value + 0.25 × its normalised themes value.
    func referenceComplement(_ q: CityProfile, _ c: CityProfile, stated: Interests = Interests()) -> Double {
        let seeks = Set(stated.isEmpty ? q.seeks : stated.seeks), offers = Set(stated.isEmpty ? q.offers : stated.offers)
        guard !seeks.isEmpty || !offers.isEmpty else { return 0 }
        func unit(_ keys: [String]) -> [String: Double] {
            let set = Set(keys)
            return Dictionary(uniqueKeysWithValues: set.map { ($0, 1 / Double(set.count).squareRoot()) })
        }
        let norm = c.themes.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        var themes: [String: Double] = [:]
        for t in c.themes { themes[t.key, default: 0] += t.weight / norm }
        let o = unit(c.offers), s = unit(c.seeks)
        let sum = seeks.reduce(0.0) { $0 + 0.75 * (o[$1] ?? 0) + 0.25 * (themes[$1] ?? 0) }
            + offers.reduce(0.0) { $0 + 0.75 * (s[$1] ?? 0) + 0.25 * (themes[$1] ?? 0) }
        return sum / Double(seeks.count + offers.count)
    }

    func testComplementFitIsItsDefinition() throws {
        let (set, _) = richWorld()
        let corpus = Corpus(profiles: set)
        let stated = try Interests(seeks: ["youth"], offers: ["energy"])
        for q in [0, 7, 31] {
            let plain = Complement(corpus, row: q), withStated = Complement(corpus, row: q, stated: stated)
            for c in 0..<set.count {
                XCTAssertEqual(plain.fit(c, in: corpus), referenceComplement(set.profiles[q], set.profiles[c]), accuracy: 1e-6, "\(q) → \(c)")
                XCTAssertEqual(withStated.fit(c, in: corpus), referenceComplement(set.profiles[q], set.profiles[c], stated: stated), accuracy: 1e-6)
            }
        }
    }

    /// Every blend, both rankers: the list is the full sort of peer × the plain score + weight × (complement
    /// × C + diaspora × D), in Double, ties by id; the contributions add up and name the fits.
    func testBlendsRankExactly() throws {
        let (set, pairs) = richWorld()
        let corpus = Corpus(profiles: set)
        let blends = [Blend.mode(.complement), Blend.mode(.diaspora), Blend(peer: 0.3, complement: 1, diaspora: 0.5), Blend(peer: 0, complement: 1)]
        for ranker in [corpus.ranker(known: pairs), corpus.ranker(known: pairs, model: randomModel(seed: 3))] {
            for blend in blends {
                var filter = CandidateFilter.byScore
                filter.blend = blend
                for q in [0, 5, 17, 44] {
                    let all = ranker.recommend(queries: [q], limit: set.count, filter: CandidateFilter.byScore)[0].results
                    let c = Complement(corpus, row: q), d = Diaspora(corpus, row: q)
                    let expected = all.map { r in
                        (r.row, blend.peer * r.score + ranker.interestWeight * (blend.complement * c.fit(r.row, in: corpus) + blend.diaspora * d.fit(r.row, in: corpus)))
                    }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : set.idRank[$0.0] < set.idRank[$1.0] }
                    for limit in [1, 9, 200] {
                        let got = ranker.recommend(queries: [q], limit: limit, filter: filter)[0].results
                        XCTAssertEqual(got.count, min(limit, expected.count))
                        for (g, e) in zip(got, expected) { XCTAssertEqual(g.score, e.1, accuracy: 1e-4, "blend \(blend), query \(q)") }
                        let tied = expected.count > got.count ? expected[got.count].1 : -Double.infinity
                        for e in expected.prefix(got.count) where e.1 > tied + 1e-4 { XCTAssertTrue(got.contains { $0.row == e.0 }, "\(e.0) is missing for query \(q)") }
                        for r in got {
                            XCTAssertEqual(r.contributions.reduce(0) { $0 + $1.value }, r.score, accuracy: 1e-9)
                            if blend.complement > 0 { XCTAssertNotNil(r.contributions.first { $0.name == Blend.complementTerm }) }
                            if blend.diaspora > 0 { XCTAssertNotNil(r.contributions.first { $0.name == Blend.diasporaTerm }) }
                        }
                    }
                }
            }
        }
    }

    /// The answer known by construction: the one candidate that offers exactly what the query seeks comes
    /// first under the complement mode, whatever else the candidates are.
    func testTheCandidateOfferingWhatWeSeekComesFirst() throws {
        var rng = SeededGenerator(seed: 5)
        var profiles = [CityProfile(id: "1", name: "Seeker", country: "SI", latitude: 46, longitude: 14, population: 6000,
                                    themes: [Weighted("tourism", 1)], seeks: ["energy-transition"])]
        for i in 0..<40 {
            var p = CityProfile(id: "\(10 + i)", name: "Town \(i)", country: ["AT", "IT", "HR"][i % 3], latitude: 45 + Double(rng.int(300)) / 100,
                                longitude: 12 + Double(rng.int(400)) / 100, population: Double(3000 + rng.int(50_000)),
                                themes: [Weighted(ThemeVocabulary.themes[rng.int(8)], 1)])
            if i == 23 { p.offers = ["energy-transition"]; p.population = 900_000; p.latitude = 38; p.longitude = 23 }
            profiles.append(p)
        }
        let corpus = Corpus(profiles: ProfileSet(profiles: profiles, source: "test"))
        var filter = CandidateFilter()
        filter.blend = .mode(.complement)
        XCTAssertEqual(corpus.ranker().recommend(queries: [0], limit: 5, filter: filter)[0].results.first.map { profiles[$0.row].id }, "33")
        filter.blend = Blend(peer: 0, complement: 1)
        XCTAssertEqual(corpus.ranker(model: randomModel(seed: 8)).recommend(queries: [0], limit: 5, filter: filter)[0].results.first.map { profiles[$0.row].id }, "33")
        XCTAssertNil(filter.modeProblem(query: 0, corpus: corpus))
        XCTAssertNotNil(filter.modeProblem(query: 1, corpus: corpus), "a town with no seeks or offers has nothing to match")
    }

    func testBlendParsing() throws {
        XCTAssertEqual(try Blend(parsing: "peer=0.5, complement=1"), Blend(peer: 0.5, complement: 1, diaspora: 0))
        for bad in ["peer", "peer=x", "peer=-1", "friend=1", "peer=0", "peer=1,peer=2"] {
            XCTAssertThrowsError(try Blend(parsing: bad), bad) { XCTAssertEqual(($0 as? OptionError)?.option, "--blend") }
        }
    }
}

/// Shaped lists: caps, size bands and maximal marginal relevance.
final class ListShapeTests: XCTestCase {
    func testCapsAndBandsHold() {
        withEvery("seed", in: 0..<5) { seed in
            let (set, pairs) = richWorld(places: 120, seed: UInt64(seed))
            let corpus = Corpus(profiles: set)
            let ranker = corpus.ranker(known: pairs, model: randomModel(seed: UInt64(seed)))
            for limit in [3, 7, 12] {
                var f = CandidateFilter.byScore
                f.excludeSameCountry = false
                f.shape = ListShape(maxPerCountry: 2, mixedSizes: true)
                let got = ranker.recommend(queries: [seed], limit: limit, filter: f)[0].results
                var perCountry: [String: Int] = [:]
                for r in got { perCountry[set.profiles[r.row].country, default: 0] += 1 }
                XCTAssertLessThanOrEqual(perCountry.values.max() ?? 0, 2)
                var sameCountry = CandidateFilter.byScore
                sameCountry.excludeSameCountry = false
                let ranked = ranker.recommend(queries: [seed], limit: max(limit * 5, limit + 50), filter: sameCountry)[0].results
                let countable = Dictionary(grouping: ranked, by: { set.profiles[$0.row].country }).values.reduce(0) { $0 + min(2, $1.count) }
                XCTAssertEqual(got.count, min(limit, countable), "two of each country the pool has")
                var bandsOnly = CandidateFilter.byScore
                bandsOnly.shape = ListShape(mixedSizes: true)
                let banded = ranker.recommend(queries: [seed], limit: limit, filter: bandsOnly)[0].results
                let pool = ranker.recommend(queries: [seed], limit: max(limit * 5, limit + 50), filter: .byScore)[0].results
                let available = Set(pool.map { SizeBand(population: set.profiles[$0.row].population) })
                XCTAssertEqual(Set(banded.map { SizeBand(population: set.profiles[$0.row].population) }), available, "limit \(limit)")
            }
        }
    }

    /// With no weight on relevance, the list after the best candidate holds the places least like it: a
    /// cluster of near-copies of the best and three outliers, the outliers are chosen.
    func testMMRWithoutRelevanceTakesTheMostDistant() {
        var profiles = [CityProfile(id: "1", name: "Query", country: "FR", latitude: 45, longitude: 6, population: 50_000,
                                    languages: ["fr"], themes: [Weighted("culture-heritage", 1)])]
        for i in 0..<12 {
            profiles.append(CityProfile(id: "\(10 + i)", name: "Copy \(i)", country: "IT", latitude: 45.1 + Double(i) / 100, longitude: 7,
                                        population: 48_000 + Double(i), languages: ["it"], themes: [Weighted("culture-heritage", 1)]))
        }
        let outliers = [("SN", 14.7, -17.4, 2_000_000.0, "agriculture-food", "wo"), ("JP", 35.0, 135.0, 900.0, "digitalisation", "ja"),
                        ("BR", -23.0, -46.0, 300_000.0, "sport", "pt")]
        for (i, o) in outliers.enumerated() {
            profiles.append(CityProfile(id: "\(90 + i)", name: "Far \(i)", country: o.0, latitude: o.1, longitude: o.2, population: o.3,
                                        languages: [o.5], themes: [Weighted(o.4, 1)]))
        }
        let corpus = Corpus(profiles: ProfileSet(profiles: profiles, source: "test"))
        let ranker = corpus.ranker()
        var f = CandidateFilter.byScore
        f.shape = ListShape(relevance: 0)
        let got = Set(ranker.recommend(queries: [0], limit: 4, filter: f)[0].results.map { profiles[$0.row].id })
        let best = ranker.recommend(queries: [0], limit: 1, filter: .byScore)[0].results[0].row
        XCTAssertEqual(got, Set([profiles[best].id, "90", "91", "92"]))
        f.shape = ListShape(relevance: 1)
        XCTAssertEqual(ranker.recommend(queries: [0], limit: 4, filter: f)[0].results.map(\.row),
                       ranker.recommend(queries: [0], limit: 4, filter: .byScore)[0].results.map(\.row), "λ = 1 is the score order")
    }
}

/// Mutual fit against its definition, with B's rank of A from a full sort.
final class MutualTests: XCTestCase {
    func testMutualFusionIsItsDefinition() {
        let (set, pairs) = richWorld()
        let corpus = Corpus(profiles: set)
        for ranker in [corpus.ranker(known: pairs), corpus.ranker(known: pairs, model: randomModel(seed: 4))] {
            for q in [2, 13] {
                var f = CandidateFilter.byScore
                f.mutual = true
                let (list, views) = ranker.mutualRecommend(q, limit: 6, filter: f)
                XCTAssertEqual(list.results.count, 6)
                for r in list.results {
                    let b = r.row
                    let full = ranker.recommend(queries: [b], limit: set.count, filter: .byScore)[0].results
                    let rank = (full.firstIndex { $0.row == q } ?? -1) + 1
                    XCTAssertEqual(views[b]?.rank, rank, "A's rank in B's list")
                    let forward = ranker.contributions(query: q, candidate: b).reduce(0) { $0 + $1.value }
                    let reverse = ranker.contributions(query: b, candidate: q).reduce(0) { $0 + $1.value }
                    XCTAssertEqual(r.score, forward / 2 + reverse / 2 - ranker.rankUnit * log10(Double(rank)), accuracy: 1e-6)
                    XCTAssertEqual(r.contributions.reduce(0) { $0 + $1.value }, r.score, accuracy: 1e-9)
                }
                let shortlist = ranker.shortlist(q, limit: 6, filter: f)
                XCTAssertTrue(shortlist.reasons.allSatisfy { $0.families.contains { $0.family == .mutual && !$0.facts.isEmpty } })
            }
        }
    }
}

/// Availability, regions and country groups.
final class AvailabilityAndAreasTests: XCTestCase {
    func testStatusIsReadWrittenIndexedAndFiltered() throws {
        let csv = """
        id,name,country,lat,lon,population,status
        1,Home,FR,45,6,50000,
        2,Open,IT,45.1,7,40000,open
        3,Done,DE,48,11,60000,complete
        4,Quiet,AT,47,13,30000,Inactive
        """
        let set = try ProfileLoader().load(path: temporaryFile(csv))
        XCTAssertEqual(set.profiles.map(\.status), [nil, .open, .complete, .inactive])
        let reread = try ProfileLoader().load(path: temporaryFile(ProfileWriter.csv(Array(set.profiles))))
        XCTAssertEqual(reread.profiles.map(\.status), set.profiles.map(\.status))
        let path = temporaryDirectory().appendingPathComponent("s.idx").path
        try CityIndex.write(Corpus(profiles: set), to: path)
        let indexed = try Corpus.open(index: path)
        XCTAssertEqual((0..<4).map { indexed.profiles.profiles.status($0) }, [nil, .open, .complete, .inactive])
        var f = CandidateFilter()
        f.onlyOpen = true
        XCTAssertEqual(indexed.ranker().recommend(queries: [0], limit: 5, filter: f)[0].results.map(\.row), [1])
        let notes = indexed.ranker().shortlist(0, limit: 5, filter: CandidateFilter()).notes
        XCTAssertEqual(notes.compactMap { $0 }.filter { $0.contains("complete") || $0.contains("not active") }.count, 2)
        XCTAssertTrue(notes.compactMap { $0 }.allSatisfy { $0.contains("little is known") }, "no themes, networks or partners anywhere")
        XCTAssertThrowsError(try ProfileLoader().load(path: temporaryFile("id,name,country,lat,lon,population,status\n1,A,FR,45,6,10,maybe\n"))) {
            XCTAssertTrue("\($0)".contains("status") && "\($0)".contains(":2"), "\($0)")
        }
    }

    func testRegionsAndGroupsAsPeopleWriteThem() throws {
        let areas = Areas(regions: [Areas.Region(country: "IT", code: "12", name: "Piedmont"), Areas.Region(country: "FR", code: "84", name: "Rhône-Alpes"),
                                    Areas.Region(country: "US", code: "GA", name: "Georgia"), Areas.Region(country: "XX", code: "1", name: "Georgia")],
                          groups: [Areas.Group(slug: "alps", name: "Alps", members: ["AT", "IT/12"], source: "test")])
        XCTAssertEqual(try areas.regionKeys("IT/12"), ["IT/12"])
        XCTAssertEqual(try areas.regionKeys("it-12"), ["IT/12"])
        XCTAssertEqual(try areas.regionKeys("piedmont"), ["IT/12"])
        XCTAssertEqual(try areas.regionKeys("Rhone-Alpes"), ["FR/84"], "no diacritics needed")
        XCTAssertEqual(try areas.regionKeys("Rhône"), ["FR/84"], "a unique prefix")
        XCTAssertEqual(try areas.regionKeys("Georgia,US"), ["US/GA"])
        XCTAssertThrowsError(try areas.regionKeys("Piemont")) { XCTAssertTrue("\($0)".contains("Piedmont (IT/12)"), "\($0)") }
        XCTAssertEqual(try areas.groupMembers(["alps"]), ["AT", "IT/12"])
        XCTAssertThrowsError(try areas.groupMembers(["nato"])) { XCTAssertEqual(($0 as? OptionError)?.option, "--candidate-group") }
        let shipped = try Areas.read(directory: repositoryRoot.appendingPathComponent("datasets/reference").path)
        XCTAssertEqual(try shipped.groupMembers(["eu"]).count, 27)
        XCTAssertEqual(try shipped.groupMembers(["council-of-europe"]).count, 46)
        XCTAssertTrue(try shipped.groupMembers(["alpine-convention"]).isSuperset(of: ["AT", "SI", "IT/12", "FR/84", "DE/02"]))
    }
}
