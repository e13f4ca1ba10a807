import Foundation
import TwinMatchCore
import FuzzSupport

/// The model loader; a model it accepts is asked for every tier's weights and offset.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzInput.write(data, size, name: "model.json")
    expectDataError(path) {
        let model = try TwinModel.load(path: path)
        for partners in [0, 1, 3, 10, 1000] {
            let tier = model.tier(partners: partners)
            _ = (model.weights(tier: tier), model.centres(tier: tier), model.offset(tier: tier))
        }
    }
    return 0
}

@_cdecl("FuzzModel_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzModel(data!, size) }
}
