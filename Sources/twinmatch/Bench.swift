import ArgumentParser
import Foundation
import TwinMatchCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark all-pairs top-k on seeded synthetic vectors, through the same code as `batch`.",
        discussion: """
        For every N × d in the sweep: generate unit vectors (Gaussian, or --clustered around N/100 centres), \
        run the symmetric all-pairs top-k, and report seconds, GFLOP/s as 2·N²·d/t (the full-matrix \
        equivalent; the symmetric path performs about half of that), rows/s, the time inside sgemm and in \
        the threshold scan, and peak RSS. Before the sweep it measures the machine's raw SGEMM rate for the \
        tile shape on all workers, so the GEMM fraction can be stated.
        """)

    @Option(help: "Row counts, comma-separated.") var n: String = "20000"
    @Option(help: "Dimensions, comma-separated.") var d: String = "64"
    @Option(help: "Neighbours per row.") var k = 10
    @Flag(help: "Clustered vectors (N/100 centres, noise 0.3) instead of isotropic Gaussian ones.") var clustered = false
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Rows per GEMM tile.") var rowBlock = 256
    @Option(help: "Columns per GEMM tile.") var columnBlock = 1024
    @Option(help: "Repeats per configuration (the median is reported).") var repeats = 1
    @Flag(help: "Also time the query × candidate path (--no-symmetric in batch).") var nonSymmetric = false
    @Option(help: "Write the generated matrix of the (single) configuration to this .npy and exit.") var writeNpy: String?

    func validate() throws {
        if parse(n) == nil || parse(d) == nil { throw ValidationError("--n and --d take positive integers, comma-separated") }
        if k < 1 || repeats < 1 || rowBlock < 1 || columnBlock < 1 { throw ValidationError("--k, --repeats and tile sizes must be at least 1") }
    }

    func parse(_ s: String) -> [Int]? {
        let v = s.split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces)) }
        return v.isEmpty || v.contains(where: { $0 < 1 }) ? nil : v
    }

    func run() throws {
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let ns = parse(n)!, ds = parse(d)!
        if let writeNpy {
            try NPY.write(Synthetic.vectors(n: ns[0], d: ds[0], clustered: clustered, seed: seed), to: writeNpy)
            return
        }
        print("twinmatch \(TwinMatchVersion.string) bench")
        print("CPU: \(BLASRuntime.cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores; workers \(threadCount)")
        print("BLAS: \(BLASRuntime.summary)")
        print("tiles \(rowBlock) × \(columnBlock), k = \(k), \(clustered ? "clustered" : "gaussian") data, seed \(seed), median of \(repeats)")
        for dim in ds {
            let raw = KernelProbe.rawSGEMM(m: rowBlock, n: columnBlock, d: dim, threads: threadCount)
            print(String(format: "raw SGEMM %d×%d×%d on %d workers: %.1f GFLOP/s", rowBlock, columnBlock, dim, threadCount, raw))
        }
        print("")
        print("     N     d   path        seconds  GFLOP/s(2N²d/t)  rows/s    sgemm s  scan s  merge s  GEMM GFLOP/s  peak RSS MiB")
        for dim in ds {
            let raw = KernelProbe.rawSGEMM(m: rowBlock, n: columnBlock, d: dim, threads: threadCount)
            for count in ns {
                let x = Synthetic.vectors(n: count, d: dim, clustered: clustered, seed: seed)
                let rank = (0..<count).map { Int32($0) }
                var times: [Double] = []
                var stats = SymmetricSearch.Stats()
                for _ in 0..<repeats {
                    let t0 = ProcessStats.now()
                    let table = SymmetricSearch.topK(x, k: k, tieRank: rank,
                                                     options: AllPairsOptions(rowBlock: rowBlock, columnBlock: columnBlock, threads: threadCount), stats: &stats)
                    times.append(ProcessStats.now() - t0)
                    precondition(table.queryCount == count)
                }
                print("visits: \(stats.visits) of \(Int(stats.gemmFlops / 2 / Double(dim))) scores")
                let t = times.sorted()[times.count / 2]
                let full = 2 * Double(count) * Double(count) * Double(dim)
                // sgemm and scan seconds are thread time; divide by workers for wall-clock shares.
                let w = Double(max(stats.workers, 1))
                let gemmRate = stats.gemmFlops / max(stats.gemmSeconds / w, 1e-9) / 1e9
                print(String(format: "%7d %4d   symmetric %9.2f %14.1f %10.0f %9.2f %7.2f %8.2f %10.1f (%.0f%% of raw) %8.0f",
                             count, dim, t, full / t / 1e9, Double(count) / t, stats.gemmSeconds / w, stats.scanSeconds / w, stats.mergeSeconds,
                             gemmRate, 100 * gemmRate / raw, Double(ProcessStats.peakResidentBytes() ?? 0) / 1048576))
                if nonSymmetric {
                    let t0 = ProcessStats.now()
                    _ = ExactSearch.topK(queries: x, candidates: x, k: k + 1, tieRank: rank,
                                         options: SearchOptions(queryBlock: rowBlock, candidateBlock: columnBlock, threads: threadCount)) { q, c in q != c }
                    let t1 = ProcessStats.now() - t0
                    print(String(format: "%7d %4d   query×cand %8.2f %14.1f %10.0f", count, dim, t1, full / t1 / 1e9, Double(count) / t1))
                }
            }
        }
    }
}
