import Foundation
import TwinMatchCore
import FuzzSupport

/// The index reader: an index that opens is used as the commands use it, through the columns, profiles, id and
/// name lookups of its first rows, the partnership graph, a ranking and an explanation, and a shortlist printed
/// as the commands print it. Each input is signed first (its checksum written into its header, as `twinmatch index`
/// does), so that the mutations reach the readers behind the checksum instead of all stopping at it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzInput.write(data, size, name: "corpus.idx")
    expectDataError(path) {
        try CityIndex.sign(path)
        let corpus = try Corpus.open(index: path)
        let profiles = corpus.profiles
        let rows = min(corpus.count, 16)
        for row in 0..<rows {
            let p = profiles.profiles[row]
            _ = profiles.row(ofId: profiles.profiles.id(row))
            _ = profiles.rows(named: p.name)
            _ = (profiles.profiles.region(row), profiles.profiles.status(row), profiles.profiles.nameVariants(row))
            _ = (corpus.memberships.networks(of: row), corpus.pairGroups.links(of: row), corpus.pairGroups.countrySimilarity(row, 0))
        }
        guard corpus.count > 0 else { return }
        let graph = corpus.partnerships()
        let ranker = ContentRanker(corpus: corpus, graph: graph)
        _ = ranker.recommend(queries: [0], limit: 5)
        _ = ranker.explain(0, corpus.count - 1)
        printShortlist(ranker.shortlist(0, limit: 5, filter: CandidateFilter()), of: corpus.profiles)
    }
    return 0
}

@_cdecl("FuzzIndex_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzIndex(data!, size) }
}
