import Foundation
import XCTest
@testable import TwinMatchCore
import TwinMatchTestSupport

final class PairScoresTests: XCTestCase {
    /// `rawScores` (the query's terms built for the given candidates only) gives each candidate the score
    /// its explanation has, with the learned model (seeded random weights on every term, the graph terms
    /// included) and the content similarity, for seeded subsets of candidates.
    func testRawScoresAreTheExplanationsScores() {
        let (set, pairs) = richWorld()
        let corpus = Corpus(profiles: set)
        let rankers: [any Ranker] = [corpus.ranker(known: pairs, model: randomModel(seed: 21)), corpus.ranker(known: pairs)]
        for (k, ranker) in rankers.enumerated() {
            withEvery("query", in: stride(from: 0, to: set.count, by: 7)) { q in
                var rng = SeededGenerator(seed: UInt64(q * 10 + k))
                let candidates = (0..<12).map { _ in rng.int(set.count) }.filter { $0 != q }
                let scores = ranker.rawScores(query: q, candidates: candidates)
                XCTAssertEqual(scores.count, candidates.count)
                for (c, s) in zip(candidates, scores) { XCTAssertEqual(s, ranker.explain(q, c).score, accuracy: 1e-9, "candidate \(c)") }
            }
        }
    }
}
