import Foundation
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class RevivalTests: XCTestCase {
    /// Annecy (FR) has three partners: Bayreuth shares youth (a modern topic), tourism and Energy Cities;
    /// Vicenza offers the energy transition Annecy seeks; Nowhere (far, another language, no theme,
    /// network or migration figure) shares nothing. Lyon has no partner.
    func fixture() -> Corpus {
        var p = [
            CityProfile(id: "1", name: "Annecy", country: "FR", latitude: 45.9, longitude: 6.13, population: 50_000, languages: ["fr"]),
            CityProfile(id: "2", name: "Bayreuth", country: "DE", latitude: 49.95, longitude: 11.58, population: 73_000, languages: ["de"]),
            CityProfile(id: "3", name: "Vicenza", country: "IT", latitude: 45.55, longitude: 11.55, population: 112_000, languages: ["it"]),
            CityProfile(id: "4", name: "Nowhere", country: "NZ", latitude: -41.3, longitude: 174.8, population: 1_200, languages: ["mi"]),
            CityProfile(id: "5", name: "Lyon", country: "FR", latitude: 45.76, longitude: 4.83, population: 520_000, languages: ["fr"]),
            CityProfile(id: "6", name: "Kraków", country: "PL", latitude: 50.06, longitude: 19.94, population: 800_000, languages: ["pl"]),
        ]
        p[0].partners = ["2", "3", "4"]
        p[0].themes = [Weighted("youth", 1), Weighted("tourism", 1)]
        p[0].seeks = ["energy-transition"]
        p[0].networks = ["energy-cities"]
        p[0].sources = ["networks:energy-cities@Energy Cities 2016"]
        p[1].themes = [Weighted("youth", 1), Weighted("tourism", 1)]
        p[1].networks = ["energy-cities"]
        p[1].sources = ["networks:energy-cities@Energy Cities 2011"]
        p[2].offers = ["energy-transition"]
        p[1].partners = ["6"]
        p[2].partners = ["6"]
        return Corpus(profiles: ProfileSet(profiles: p, source: "revival"))
    }

    func testEachPartnershipWithWhatItSharesAndThoseThatNoLongerFit() {
        let corpus = fixture()
        let ranker = corpus.ranker()
        let revival = ranker.revival(PartnerList(corpus: corpus, row: 0))
        XCTAssertNil(revival.notice)
        let names = revival.partnerships.map { corpus.profiles.profiles.name($0.partner) }
        XCTAssertEqual(names, ["Bayreuth", "Vicenza", "Nowhere"], "the most to work on first, the one that no longer fits last")
        let bayreuth = revival.partnerships[0]
        XCTAssertEqual(bayreuth.modernTopics, ["youth"])
        XCTAssertEqual(bayreuth.otherThemes, ["tourism"])
        XCTAssertEqual(bayreuth.networks, ["Energy Cities (Annecy 2016, Bayreuth 2011)"])
        XCTAssertNil(bayreuth.noLongerFits)
        XCTAssertTrue((3...Revival.agendaSize).contains(bayreuth.agenda.count), "\(bayreuth.agenda)")
        XCTAssertEqual(bayreuth.agenda.first?.topic, "youth", "the modern topic both work on before tourism: \(bayreuth.agenda)")
        XCTAssertTrue(bayreuth.agenda.contains { $0.topic == "tourism" && $0.reason.contains("shared priority") }, "\(bayreuth.agenda)")
        XCTAssertTrue(bayreuth.agenda.contains { $0.topic == "network:energy-cities" }, "\(bayreuth.agenda)")
        let vicenza = revival.partnerships[1]
        XCTAssertEqual(vicenza.explanation.complementary.map(\.theme), ["energy-transition"])
        XCTAssertEqual(vicenza.agenda.first?.topic, "energy-transition")
        XCTAssertEqual(vicenza.explanation.commonPartners, [], "Kraków is Bayreuth's and Vicenza's partner, not Annecy's")
        XCTAssertGreaterThan(bayreuth.toWorkOn, vicenza.toWorkOn)
        let nowhere = revival.partnerships[2]
        XCTAssertEqual(revival.noLongerFitting.map(\.partner), [3])
        XCTAssertTrue(nowhere.noLongerFits?.hasPrefix("nothing shared now: no shared theme, complementary offer, network, language or migration link") == true,
                      nowhere.noLongerFits ?? "nil")
        let table = revival.table(corpus.profiles)
        XCTAssertTrue(table.contains("no longer fit:\n  Nowhere (NZ"), table)
        XCTAssertTrue(table.contains("modern topics both work on: youth"), table)
        XCTAssertTrue(revival.json(corpus.profiles).render().contains("\"no_longer_fits\": \"nothing shared now"), "JSON gives the reason")
        XCTAssertEqual(revival.csv(corpus.profiles).split(separator: "\n").count, 4, "a header and one row per partnership")
    }

    /// A migration figure counts as a link from 1% of a side's migrants; below, the pair shares nothing.
    func testAMigrationLinkKeepsAPartnershipAlive() {
        var corpus = fixture()
        var profiles = Array(corpus.profiles.profiles)
        profiles[3].migrationLinks = [Weighted("FR", 0.2)]
        corpus = Corpus(profiles: ProfileSet(profiles: profiles, source: "revival"))
        let nowhere = corpus.ranker().revival(PartnerList(corpus: corpus, row: 0)).partnerships.first { $0.partner == 3 }
        XCTAssertEqual(nowhere?.migration, ["Nowhere: 20% of its migrant residents come from France"])
        XCTAssertFalse(nowhere?.noLongerFits?.contains("nothing shared") ?? false, "a community link is something shared")
        profiles[3].migrationLinks = [Weighted("FR", 0.005)]
        corpus = Corpus(profiles: ProfileSet(profiles: profiles, source: "revival"))
        let weak = corpus.ranker().revival(PartnerList(corpus: corpus, row: 0)).partnerships.first { $0.partner == 3 }
        XCTAssertEqual(weak?.migration, [])
        XCTAssertTrue(weak?.noLongerFits?.contains("nothing shared") ?? false)
    }

    /// A language counts as spoken by both only as both cities' first: a place's list is often its
    /// country's, with regional languages after the first (Italy's: it, de, fr, …).
    func testTheLanguageBothSpeakIsTheirFirst() {
        XCTAssertEqual(Revival.spokenByBoth(["fr", "br", "co"], ["fr"]), ["fr"])
        XCTAssertEqual(Revival.spokenByBoth(["it", "de", "fr"], ["de", "hr"]), [], "German is second in Italy's list")
        XCTAssertEqual(Revival.spokenByBoth(["fr", "br"], ["it", "de", "fr"]), [])
        XCTAssertEqual(Revival.spokenByBoth([], ["fr"]), [])
    }

    /// A city without a known partner: no partnership, and a notice that says so and points to recommend.
    func testACityWithoutPartnersGetsANotice() {
        let corpus = fixture()
        let revival = corpus.ranker().revival(PartnerList(corpus: corpus, row: 4))
        XCTAssertTrue(revival.partnerships.isEmpty)
        let notice = try? XCTUnwrap(revival.notice)
        XCTAssertTrue(notice?.hasPrefix("Lyon has no known partner") == true, notice ?? "nil")
        XCTAssertTrue(notice?.contains("twinmatch recommend --id 5") == true, notice ?? "nil")
        XCTAssertTrue(revival.json(corpus.profiles).render().contains("\"notice\": \"Lyon has no known partner"))
        XCTAssertTrue(revival.table(corpus.profiles).contains("none to revive"))
    }
}
