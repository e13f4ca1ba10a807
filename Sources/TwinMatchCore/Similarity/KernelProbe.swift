import Foundation

/// What `twinmatch bench` measures besides the search itself: the machine's raw SGEMM rate.
public enum KernelProbe {
    /// GFLOP/s of back-to-back `m × n × d` sgemm calls into a reused tile, one per worker, for about a second.
    public static func rawSGEMM(m: Int, n: Int, d: Int, threads: Int) -> Double {
        let a = Synthetic.vectors(n: m, d: d, clustered: false, seed: 1)
        let b = Synthetic.vectors(n: n, d: d, clustered: false, seed: 2)
        let flops = Locked(0.0)
        let t0 = ProcessStats.now()
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                let tile = TileBuffer(rows: m, cols: n)
                var calls = 0
                let start = ProcessStats.now()
                while ProcessStats.now() - start < 1.0 {
                    _ = BLAS.scoreTile(a, rows: 0..<m, b, rows: 0..<n, into: tile)
                    calls += 1
                }
                flops.withLock { $0 += Double(calls) * 2 * Double(m * n * d) }
            }
        }
        return flops.withLock { $0 } / (ProcessStats.now() - t0) / 1e9
    }
}

/// Seeded synthetic unit vectors for benchmarks.
public enum Synthetic {
    /// `n × d` unit rows: Gaussian directions, or `n/100` Gaussian centres plus noise of 0.3 per coordinate
    /// scaled by 1/√d, normalised.
    public static func vectors(n: Int, d: Int, clustered: Bool, seed: UInt64) -> FloatMatrix {
        let clusters = max(1, n / 100)
        let centres: [Double] = clustered ? {
            var rng = SplitMix64(seed: seed ^ 0xC0FFEE)
            return (0..<(clusters * d)).map { _ in rng.gaussian() / Double(d).squareRoot() }
        }() : []
        return FloatMatrix.build(rows: n, cols: d) { r in
            var rng = SplitMix64(seed: seed &+ UInt64(r) &* 0x2545F4914F6CDD1D)
            var v = [Double](repeating: 0, count: d)
            if clustered {
                let c = Int(rng.next() % UInt64(clusters))
                for j in 0..<d { v[j] = centres[c * d + j] + 0.3 * rng.gaussian() / Double(d).squareRoot() }
            } else {
                for j in 0..<d { v[j] = rng.gaussian() }
            }
            let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return v.map { Float($0 / norm) }
        }
    }
}
