import Foundation
import TwinMatchCore
import FuzzSupport

/// The `.npy` reader; every value of a matrix it returns is read, so a mapping past the file's end shows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzInput.write(data, size, name: "matrix.npy")
    expectDataError(path) {
        let m = try NPY.read(path: path)
        var sum: Float = 0
        // Row by row only when there are values: a header may promise 2⁴⁰ rows of no columns.
        if m.cols > 0 { for r in 0..<m.rows { for c in 0..<m.cols { sum += m[r, c] } } }
        _ = sum
    }
    return 0
}

@_cdecl("FuzzNPY_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzNPY(data!, size) }
}
