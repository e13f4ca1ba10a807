import Foundation
import PropertyBased
import TwinMatchCore
import XCTest

extension XCTestCase {
    /// Checks `property` on one case drawn from `input` per seed of `seeds`: the draws are PropertyBased
    /// generators run on a xoshiro256** generator set from the seed alone, so a seed always draws the same
    /// case. A failing case is named with its seed and its description (through `withEvery`), such as
    /// `failed with seed: 17, case: 3 places, limit 5, …`; `PROPERTY_SEED=17` in the environment checks
    /// that seed alone. (PropertyBased's own runner, `propertyCheck`, is Swift Testing's; these suites are
    /// XCTest, so its generators are driven here, without its shrinking.)
    ///
    ///     forAll(Gen.int(in: 0...100), seeds: 0..<200) { n in XCTAssertEqual(n + n, 2 * n) }
    public func forAll<Value, Shrinks>(_ input: Generator<Value, Shrinks>, seeds: Range<Int> = 0..<100,
                                       file: StaticString = #filePath, line: UInt = #line,
                                       _ property: (Value) throws -> Void) rethrows {
        let only = ProcessInfo.processInfo.environment["PROPERTY_SEED"].flatMap { Int($0) }
        try withEvery("seed", in: only.map { $0..<($0 + 1) } ?? seeds, file: file, line: line) { seed in
            var rng = propertyGenerator(seed: seed)
            let value = input.run(using: &rng)
            try withEvery("case", in: [value], file: file, line: line) { try property($0) }
        }
    }
}

/// The generator a property seed sets: xoshiro256**'s state from four SplitMix64 draws of the seed.
public func propertyGenerator(seed: Int) -> Xoshiro {
    var mix = SplitMix64(seed: UInt64(bitPattern: Int64(seed)) &+ 0x5EED)
    return Xoshiro(seed: (mix.next(), mix.next(), mix.next(), mix.next()))
}
