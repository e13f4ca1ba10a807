import XCTest
@testable import TwinMatchCore

/// What `twinmatch embed` writes: Q[a] · X[b] must be the engine's score of (a, b), and symmetric.
final class EmbedTests: XCTestCase {
    func testQueryTimesStoredIsTheScore() {
        let countries = ["DE", "FR", "PL"]
        let themes = ThemeVocabulary.themes
        var list: [CityProfile] = []
        for i in 0..<12 {
            let t = [Weighted(themes[i % 6], 1), Weighted(themes[(i * 5) % 9], 0.5)]
            list.append(CityProfile(id: "\(i)", name: "T\(i)", country: countries[i % 3], latitude: Double(40 + i), longitude: Double(i * 2),
                                    population: Double(5000 * (i + 1)), languages: ["en"], themes: t, offers: [themes[i % 4]],
                                    seeks: [themes[(i + 1) % 4]], migrationLinks: [Weighted(countries[(i + 1) % 3], 0.3)]))
        }
        let set = ProfileSet(profiles: list)
        let weights = GroupWeights([.themes: 0.4, .geography: 0.2, .complementarity: 0.3, .migration: 0.1, .size: 0.2])
        let ranker = ContentRanker(corpus: Corpus(profiles: set), weights: weights)
        let corpus = ranker.corpus
        let (q, x) = corpus.extractor.exportMatrices(stored: corpus.stored, pairGroups: corpus.pairGroups, weights: weights)
        for a in 0..<12 {
            for b in 0..<12 where a != b {
                let dot = q.dot(row: a, x, row: b, columns: 0..<x.cols)
                XCTAssertEqual(dot, ranker.score(query: a, candidate: b).score, accuracy: 1e-5)
                XCTAssertEqual(dot, q.dot(row: b, x, row: a, columns: 0..<x.cols), accuracy: 1e-5, "the score is symmetric")
            }
        }
    }
}
