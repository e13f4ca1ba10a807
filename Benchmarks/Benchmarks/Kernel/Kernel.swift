import Benchmark
import Foundation
import TwinMatchCore

/// Seeded unit vectors, built outside the timed region; each row has its own generator, so rows built in
/// parallel are the same on every run.
func unitVectors(n: Int, d: Int, seed: UInt64) -> FloatMatrix {
    FloatMatrix.build(rows: n, cols: d) { r in
        var s = seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15
        var v = (0..<d).map { _ -> Float in
            s = s &* 6364136223846793005 &+ 1442695040888963407 &+ UInt64(r)
            return Float(Int64(bitPattern: s >> 11) % 2001 - 1000) / 1000
        }
        let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-6)
        for j in 0..<d { v[j] /= norm }
        return v
    }
}

/// A seeded synthetic world for the learned model: places in five countries and ten regions each, one in
/// four with a partner abroad, and a model weighting every term.
func modelRanker(n: Int, seed: UInt64) -> ModelRanker {
    var s = seed
    func next() -> Double {
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return Double(s >> 11) / Double(1 << 53)
    }
    let countries = ["DE", "FR", "IT", "PL", "ES"]
    let profiles = (0..<n).map { i -> CityProfile in
        var p = CityProfile(id: String(i), name: "Place \(i % (n / 3))", country: countries[i % 5],
                            latitude: 36 + 20 * next(), longitude: -8 + 30 * next(), population: 500 * pow(10, 3 * next()))
        p.region = String(Int(next() * 10))
        p.nameVariants = Int(next() * 20)
        return p
    }
    let pairs = (0..<(n / 4)).map { _ in (Int(next() * Double(n)), Int(next() * Double(n))) }
    var weights: [ModelTerm: Double] = [:]
    for (i, t) in ModelTerm.allCases.enumerated() { weights[t] = Double(i % 5) - 1.5 }
    let corpus = Corpus(profiles: ProfileSet(profiles: profiles))
    return ModelRanker(context: TermContext(corpus: corpus, knownPairs: pairs), model: TwinModel(weights: weights))
}

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(5), maxIterations: 10)

    Benchmark("AllPairs.symmetric n=10k d=64 k=10", configuration: config) { benchmark, x in
        let rank = (0..<x.rows).map { Int32($0) }
        for _ in benchmark.scaledIterations {
            blackHole(SymmetricSearch.topK(x, k: 10, tieRank: rank))
        }
    } setup: {
        unitVectors(n: 10_000, d: 64, seed: 1)
    }

    Benchmark("ExactSearch.topK n=10k d=64 k=10", configuration: config) { benchmark, x in
        let rank = (0..<x.rows).map { Int32($0) }
        for _ in benchmark.scaledIterations {
            blackHole(ExactSearch.topK(queries: x, candidates: x, k: 11, tieRank: rank) { q, c in q != c })
        }
    } setup: {
        unitVectors(n: 10_000, d: 64, seed: 1)
    }

    Benchmark("ModelRanker.recommend n=50k q=256 k=10", configuration: config) { benchmark, ranker in
        let queries = Array(0..<256)
        for _ in benchmark.scaledIterations {
            blackHole(ranker.neighbours(queries: queries, k: 10) { q, c in q != c })
        }
    } setup: {
        modelRanker(n: 50_000, seed: 3)
    }

    // Opening the world index (scripts/setup.sh builds it): its checksum, against a serial one and SHA-256.
    let world = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../datasets/world.idx").standardized.path
    if FileManager.default.fileExists(atPath: world) {
        let once = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 15)
        Benchmark("CityIndex.open world index", configuration: once) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try CityIndex(path: world).count) }
        }
        Benchmark("Checksum.tree world index (XXH64, 1 MiB chunks, all cores)", configuration: once) { benchmark, file in
            for _ in benchmark.scaledIterations { blackHole(Checksum.tree(of: file)) }
        } setup: { try MappedFile(path: world) }
        Benchmark("XXH64 world index, one piece (reference)", configuration: once) { benchmark, file in
            for _ in benchmark.scaledIterations { blackHole(Checksum.tree(of: file, chunk: file.length)) }
        } setup: { try MappedFile(path: world) }
        Benchmark("SHA-256 world index, serial (reference)", configuration: once) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try Checksum.sha256(file: world)) }
        }
        Benchmark("FloatMatrix.firstBeyond world index matrix", configuration: once) { benchmark, index in
            for _ in benchmark.scaledIterations { blackHole(index.stored.firstBeyond(1)?.row) }
        } setup: { try CityIndex(path: world) }
    }

    Benchmark("BLAS.scoreTile 256x1024x64", configuration: config) { benchmark, x in
        let tile = TileBuffer(rows: 256, cols: 1024)
        for _ in benchmark.scaledIterations {
            blackHole(BLAS.scoreTile(x, rows: 0..<256, x, rows: 0..<1024, into: tile)[255, 1023])
        }
    } setup: {
        unitVectors(n: 1024, d: 64, seed: 2)
    }
}
