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

extension KernelProbe {
    /// The all-pairs sweep `twinmatch bench` prints: for every N × d, seeded synthetic unit vectors ranked
    /// by the symmetric search (and, with `nonSymmetric`, the query × candidate path), with the time in
    /// sgemm and in the threshold scan, against the machine's raw SGEMM rate.
    public struct Sweep: Sendable {
        public var sizes: [Int]
        public var dimensions: [Int]
        public var k: Int
        public var clustered: Bool
        public var seed: UInt64
        public var options = AllPairsOptions()
        /// Repeats per configuration; the median is reported.
        public var repeats = 1
        public var nonSymmetric = false

        public init(sizes: [Int], dimensions: [Int], k: Int, clustered: Bool, seed: UInt64) {
            self.sizes = sizes
            self.dimensions = dimensions
            self.k = k
            self.clustered = clustered
            self.seed = seed
        }

        /// Runs the sweep, handing every line of the report to `emit`.
        public func run(_ emit: (String) -> Void) {
            emit("twinmatch \(TwinMatchVersion.string) bench")
            emit("CPU: \(BLASRuntime.cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores; workers \(options.threads)")
            emit("BLAS: \(BLASRuntime.summary)")
            emit("tiles \(options.rowBlock) × \(options.columnBlock), k = \(k), \(clustered ? "clustered" : "gaussian") data, seed \(seed), median of \(repeats)")
            let raws = dimensions.map { KernelProbe.rawSGEMM(m: options.rowBlock, n: options.columnBlock, d: $0, threads: options.threads) }
            for (dim, raw) in zip(dimensions, raws) {
                emit(String(format: "raw SGEMM %d×%d×%d on %d workers: %.1f GFLOP/s", options.rowBlock, options.columnBlock, dim, options.threads, raw))
            }
            emit("")
            emit("     N     d   path        seconds  GFLOP/s(2N²d/t)  rows/s    sgemm s  scan s  merge s  GEMM GFLOP/s  peak RSS MiB")
            for (dim, raw) in zip(dimensions, raws) {
                for count in sizes {
                    let x = Synthetic.vectors(n: count, d: dim, clustered: clustered, seed: seed)
                    let rank = (0..<count).map { Int32($0) }
                    var times: [Double] = []
                    var stats = SymmetricSearch.Stats()
                    for _ in 0..<repeats {
                        let t0 = ProcessStats.now()
                        let table = SymmetricSearch.topK(x, k: k, tieRank: rank, options: options, stats: &stats)
                        times.append(ProcessStats.now() - t0)
                        precondition(table.queryCount == count)
                    }
                    emit("visits: \(stats.visits) of \(Int(stats.gemmFlops / 2 / Double(dim))) scores")
                    let t = times.sorted()[times.count / 2]
                    let full = 2 * Double(count) * Double(count) * Double(dim)
                    // sgemm and scan seconds are thread time; divide by workers for wall-clock shares.
                    let w = Double(max(stats.workers, 1))
                    let gemmRate = stats.gemmFlops / max(stats.gemmSeconds / w, 1e-9) / 1e9
                    emit(String(format: "%7d %4d   symmetric %9.2f %14.1f %10.0f %9.2f %7.2f %8.2f %10.1f (%.0f%% of raw) %8.0f",
                                 count, dim, t, full / t / 1e9, Double(count) / t, stats.gemmSeconds / w, stats.scanSeconds / w, stats.mergeSeconds,
                                 gemmRate, 100 * gemmRate / raw, Double(ProcessStats.peakResidentBytes() ?? 0) / 1048576))
                    if nonSymmetric {
                        let t0 = ProcessStats.now()
                        _ = ExactSearch.topK(queries: x, candidates: x, k: k + 1, tieRank: rank,
                                             options: SearchOptions(queryBlock: options.rowBlock, candidateBlock: options.columnBlock, threads: options.threads)) { q, c in q != c }
                        let t1 = ProcessStats.now() - t0
                        emit(String(format: "%7d %4d   query×cand %8.2f %14.1f %10.0f", count, dim, t1, full / t1 / 1e9, Double(count) / t1))
                    }
                }
            }
        }
    }
}
