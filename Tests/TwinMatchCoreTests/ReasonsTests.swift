import Foundation
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

/// Issue 13: reasons in plain words (families with facts, a 0–100 score whose points add up) and honest
/// output (partners, empty-result notices).
/// A model with seeded random weights on every term, so that every family has points of either sign.
func randomModel(seed: UInt64) -> TwinModel {
    var rng = SeededGenerator(seed: seed)
    var w: [ModelTerm: Double] = [:]
    for t in ModelTerm.allCases { w[t] = Double(rng.int(2001) - 1000) / 500 }
    return TwinModel(weights: w)
}

final class ReasonsTests: XCTestCase {

    /// On the seeded rich world, with the shipped scale and random weights and with the content ranker: the
    /// baseline and the families' points add up to the displayed score, and their rounded forms too.
    func testFamilyPointsAddUpToTheScore() {
        let (set, pairs) = richWorld()
        let corpus = Corpus(profiles: set)
        let rankers: [any Ranker] = [corpus.ranker(known: pairs, model: randomModel(seed: 3)), corpus.ranker(known: pairs)]
        for ranker in rankers {
            for q in stride(from: 0, to: set.count, by: 11) {
                let shortlist = ranker.shortlist(q, limit: 8, filter: CandidateFilter())
                XCTAssertFalse(shortlist.reasons.isEmpty)
                for (r, why) in zip(shortlist.list.results, shortlist.reasons) {
                    XCTAssertEqual(why.rawScore, r.score, accuracy: 1e-9)
                    XCTAssertEqual(why.score, ranker.scale.points(r.score), accuracy: 1e-9)
                    XCTAssertEqual(why.baseline + why.families.reduce(0) { $0 + $1.points }, why.score, accuracy: 1e-9, "query \(q)")
                    let rounded = why.roundedPoints
                    XCTAssertEqual(rounded.baseline + rounded.families.reduce(0, +), rounded.score, "query \(q)")
                    XCTAssertEqual(why.families.flatMap(\.terms).count, r.contributions.count, "every term in one family")
                    for f in why.families where f.raw != 0 { XCTAssertEqual(f.points.sign, f.raw.sign, "points keep the raw sign") }
                    for f in why.families { XCTAssertFalse(f.facts.isEmpty, "\(f.family) has facts") }
                }
            }
        }
    }

    /// The scales are increasing in the raw score, so ordering by the displayed score is the ranking.
    func testScaleIsMonotone() {
        var rng = SeededGenerator(seed: 9)
        let raws = (0..<500).map { _ in Double(rng.int(250_000)) / 1000 - 50 }.sorted()
        for scale in [ModelRanker.defaultScale, ScoreScale.content] {
            let points = raws.map(scale.points)
            for (x, y) in zip(points, points.dropFirst()) { XCTAssertLessThanOrEqual(x, y) }
            XCTAssertTrue(zip(raws, raws.dropFirst()).allSatisfy { $0 == $1 || scale.points($0) < scale.points($1) }, "strictly")
        }
        XCTAssertEqual(ModelRanker.defaultScale.points(53.4), 50, accuracy: 1e-9)
        let (set, pairs) = richWorld()
        let ranker = Corpus(profiles: set).ranker(known: pairs, model: randomModel(seed: 5))
        for q in [0, 7, 44] {
            let shortlist = ranker.shortlist(q, limit: 20, filter: CandidateFilter())
            let byRaw = shortlist.list.results.map(\.row)
            let byShown = zip(shortlist.list.results, shortlist.reasons).enumerated()
                .sorted { ($0.element.1.score, $1.offset) > ($1.element.1.score, $0.offset) }.map(\.element.0.row)
            XCTAssertEqual(byShown, byRaw, "the displayed scores rank as the raw ones")
        }
    }

    /// Every term and content group belongs to a family, and a dense term to its group's.
    func testFamiliesCoverEveryTerm() {
        for t in ModelTerm.allCases { if let g = t.group, t.kind == .dense { XCTAssertEqual(t.family, g.family, t.rawValue) } }
        XCTAssertEqual(Set(ModelTerm.allCases.map(\.family)).union([.complement, .mutual]), Set(ReasonFamily.allCases), "offers and seeks and their view of us are the only families no model term is in")
    }

    /// A small world: Annecy (FR) and Bayreuth (DE) are both partners of Kraków; two more FR–DE twinnings
    /// and one FR–IT.
    func fixture() throws -> (Corpus, KnownPairs) {
        var p = [
            CityProfile(id: "1", name: "Annecy", country: "FR", region: "84", latitude: 45.9, longitude: 6.13, population: 50_000, languages: ["fr"]),
            CityProfile(id: "2", name: "Bayreuth", country: "DE", region: "02", latitude: 49.95, longitude: 11.58, population: 150_000, languages: ["de"]),
            CityProfile(id: "3", name: "Kraków", country: "PL", latitude: 50.06, longitude: 19.94, population: 800_000),
            CityProfile(id: "4", name: "Lyon", country: "FR", region: "84", latitude: 45.76, longitude: 4.83, population: 500_000),
            CityProfile(id: "5", name: "Munich", country: "DE", region: "02", latitude: 48.14, longitude: 11.58, population: 1_400_000),
            CityProfile(id: "6", name: "Tours", country: "FR", region: "24", latitude: 47.39, longitude: 0.69, population: 136_000),
            CityProfile(id: "7", name: "Trier", country: "DE", region: "08", latitude: 49.76, longitude: 6.64, population: 110_000),
            CityProfile(id: "8", name: "Vicenza", country: "IT", latitude: 45.55, longitude: 11.55, population: 110_000),
        ]
        p[0].partners = ["3"]
        p[0].themes = [Weighted("youth", 1), Weighted("tourism", 1)]
        p[1].themes = [Weighted("tourism", 1)]
        p[0].networks = ["energy-cities"]
        p[1].networks = ["energy-cities"]
        p[1].offers = ["energy-transition"]
        p[0].seeks = ["energy-transition"]
        let set = ProfileSet(profiles: p, source: "fixture")
        let known = try KnownPairs.parse(header: CSVRecord(line: 1, fields: ["geonameid_a", "geonameid_b"]),
                                         rows: [["2", "3"], ["4", "5"], ["6", "7"], ["1", "8"]].enumerated().map { CSVRecord(line: $0 + 2, fields: $1) },
                                         file: "/data/pairs.csv", rowOf: set.row(ofId:))
        let migration = CountryMigration(links: ["FR": [.init(origin: "DE", stock: 198_000, share: 0.026), .init(origin: "DZ", stock: 1_600_000, share: 0.19)]],
                                         year: ["FR": 2019], source: "UN DESA International Migrant Stock 2019")
        return (Corpus(profiles: set, migration: migration), known)
    }

    func testFactsNameCommonPartnersAndCountTwinnings() throws {
        let (corpus, known) = try fixture()
        let graph = corpus.partnerships(adding: known.pairs)
        let facts = PairFacts(corpus: corpus, graph: graph, query: 0)
        XCTAssertEqual(facts.commonPartners(1), [2])
        XCTAssertEqual(facts.facts(.partners, 1), ["both partners of Kraków"])
        XCTAssertEqual(facts.countryPairCount(1), 2, "Lyon–Munich and Tours–Trier")
        XCTAssertEqual(facts.regionPairCount(1), 1, "Lyon–Munich: region 84 to region 02")
        XCTAssertEqual(facts.facts(.countries, 1), ["2 existing FR–DE twinnings", "1 between their two regions", "both in Europe"])
        XCTAssertEqual(facts.facts(.size, 1).first, "Bayreuth is 3.0× larger")
        let km = Int(corpus.distanceKm(0, 1).rounded())
        XCTAssertEqual(facts.facts(.distance, 1).first, "\(km) km apart")
        XCTAssertEqual(facts.facts(.renown, 1).first, "1 known partner")
        let themes = facts.facts(.themes, 1)
        XCTAssertTrue(themes.contains("shared themes: tourism"), "\(themes)")
        XCTAssertTrue(themes.contains("Bayreuth offers energy-transition, which Annecy seeks"), "\(themes)")
        XCTAssertTrue(themes.contains("both in Energy Cities"), "\(themes)")
        let migration = facts.facts(.migration, 1)
        XCTAssertEqual(migration.count, 1)
        XCTAssertEqual(migration[0], "France hosts 198,000 people born in Germany, 2.6% of its migrants (UN DESA International Migrant Stock 2019: a national figure, not Annecy's)")
        XCTAssertEqual(facts.facts(.partners, 3), ["no known partnership links them within three steps"], "Annecy and Lyon")
    }

    /// A population below 1 (the reader admits 1e-300) is unknown to the size facts, never an infinite ratio.
    func testSizeFactsOfAPopulationBelowOne() {
        let profiles = [CityProfile(id: "1", name: "A", country: "FR", latitude: 45, longitude: 6, population: 1e-300),
                        CityProfile(id: "2", name: "B", country: "DE", latitude: 50, longitude: 8, population: 2e9)]
        let corpus = Corpus(profiles: ProfileSet(profiles: profiles, source: "memory"))
        let facts = PairFacts(corpus: corpus, graph: corpus.partnerships(), query: 0)
        XCTAssertEqual(facts.facts(.size, 1).first, "population unknown")
    }

    /// The suggested topics come from the pair's data: what one offers the other, shared themes and
    /// networks, the migration figure and the common partner, before any topic neither lists.
    func testSuggestionsFollowThePairsData() throws {
        let (corpus, known) = try fixture()
        let e = corpus.ranker(known: known.pairs).explain(0, 1)
        let topics = e.suggestions.map(\.topic)
        XCTAssertEqual(Array(topics.prefix(5)), ["energy-transition", "tourism", "network:energy-cities", "migration-integration", "three-way project"])
        XCTAssertTrue(e.suggestions[4].reason.contains("Kraków"))
        XCTAssertEqual(e.commonPartners, [2])
        XCTAssertEqual(e.countryPairs, 2)
        let other = corpus.ranker(known: known.pairs).explain(5, 6).suggestions.map(\.topic)
        XCTAssertNotEqual(other, topics, "another pair, other topics")
    }

    func testPartnerListNamesItsSources() throws {
        let (corpus, known) = try fixture()
        let list = PartnerList(corpus: corpus, row: 0, known: known)
        XCTAssertEqual(list.entries.map(\.row), [7, 2], "Vicenza (nearer), Kraków")
        XCTAssertEqual(list.entries.map(\.sources), [["pairs.csv"], ["Annecy's profile"]])
        let table = list.table(corpus.profiles)
        XCTAssertTrue(table.contains("Known partners of Annecy (FR, id 1, population 50,000): 2"), table)
        XCTAssertTrue(table.contains("Kraków") && table.contains("Annecy's profile"), table)
        XCTAssertEqual(list.csv(corpus.profiles).split(separator: "\n").first, "id,name,country,region,lat,lon,population,distance_km,sources")
        XCTAssertTrue(list.json(corpus.profiles).render().contains("\"schema_version\": 2"))
        XCTAssertEqual(PartnerList(corpus: corpus, row: 4).entries, [], "Munich: no profile lists a partner")
    }

    /// An empty result names the condition that emptied it, with how many candidates pass each alone.
    func testEmptyNoticeNamesTheEmptyingFilter() throws {
        let (corpus, known) = try fixture()
        let ranker = corpus.ranker(known: known.pairs)
        let filter = try CandidateFilter(maxKm: 300, themes: ["tourism", "circular-economy"])
        let shortlist = ranker.shortlist(3, limit: 5, filter: filter)
        XCTAssertTrue(shortlist.list.results.isEmpty)
        let notice = try XCTUnwrap(shortlist.notice)
        XCTAssertTrue(notice.contains("none have theme circular-economy (that condition alone empties the list)"), notice)
        XCTAssertTrue(notice.contains("2 have theme tourism"), notice)
        XCTAssertTrue(notice.contains("is within 300 km") || notice.contains("are within 300 km"), notice)
        XCTAssertTrue(shortlist.json(corpus.profiles).render().contains("\"notice\": "), "JSON carries the notice")
        let together = ranker.shortlist(3, limit: 5, filter: try CandidateFilter(maxKm: 300, themes: ["tourism"])).notice ?? ""
        XCTAssertTrue(together.contains("each condition alone leaves some"), together)
        XCTAssertNil(ranker.shortlist(3, limit: 5, filter: CandidateFilter()).notice)
    }

    /// The CSV header has unique names, and JSON its schema version, coordinates, region and networks.
    func testOutputColumnsAreUnique() throws {
        let (set, pairs) = richWorld()
        let corpus = Corpus(profiles: set)
        for ranker in [corpus.ranker(known: pairs, model: randomModel(seed: 1)), corpus.ranker(known: pairs)] {
            let shortlist = ranker.shortlist(4, limit: 3, filter: CandidateFilter())
            let header = try XCTUnwrap(shortlist.csv(set).split(separator: "\n").first).split(separator: ",").map(String.init)
            XCTAssertEqual(Set(header).count, header.count, "\(header)")
            XCTAssertTrue(header.contains("country") && header.contains("score_country") && header.contains("points_country_ties"))
            let json = shortlist.json(set).render()
            for key in ["\"schema_version\": 2", "\"lat\": ", "\"lon\": ", "\"region\": ", "\"networks\": [", "\"raw_score\": ", "\"terms\": {"] {
                XCTAssertTrue(json.contains(key), key)
            }
        }
    }
}
