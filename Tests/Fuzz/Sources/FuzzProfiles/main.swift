import Foundation
import TwinMatchCore
import FuzzSupport

/// The profile reader on the same bytes as CSV and as JSON Lines, stopping at the first bad row and skipping
/// bad rows; a set that loads is fitted into a corpus and its first place's shortlist printed, as
/// `recommend --profiles` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let csv = FuzzInput.write(data, size, name: "profiles.csv")
    let jsonl = FuzzInput.write(data, size, name: "profiles.jsonl")
    for (path, strict, onError) in [(csv, false, RowErrorPolicy.fail), (csv, true, .skip), (jsonl, false, .fail), (jsonl, true, .skip)] {
        expectDataError(path) {
            let set = try ProfileLoader(strict: strict, onError: onError).load(path: path)
            guard set.count > 0 else { return }
            let corpus = Corpus(profiles: set)
            let ranker = ContentRanker(corpus: corpus, graph: corpus.partnerships())
            printShortlist(ranker.shortlist(0, limit: 5, filter: CandidateFilter()), of: set)
        }
    }
    return 0
}

@_cdecl("FuzzProfiles_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzProfiles(data!, size) }
}
