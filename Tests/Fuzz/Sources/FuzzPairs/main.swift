import Foundation
import TwinMatchCore
import FuzzSupport

/// The known-pairs reader, with ids 0 to 63 standing for the rows of a 64-place corpus.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPairs(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzInput.write(data, size, name: "pairs.csv")
    expectDataError(path) {
        let known = try KnownPairs.read(path: path) { id in Int(id).flatMap { (0..<64).contains($0) ? $0 : nil } }
        let graph = PairGraph(count: 64, distinct: known.pairs)
        for row in 0..<64 { _ = graph.neighbours[row] }
        _ = known.summary
    }
    return 0
}

@_cdecl("FuzzPairs_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzPairs(data!, size) }
}
