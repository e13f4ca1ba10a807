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

        Example: twinmatch bench --n 20000,50000 --d 64 --k 10
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
        let ns = parse(n) ?? [], ds = parse(d) ?? []
        if let writeNpy {
            try NPY.write(Synthetic.vectors(n: ns[0], d: ds[0], clustered: clustered, seed: seed), to: writeNpy)
            return
        }
        var sweep = KernelProbe.Sweep(sizes: ns, dimensions: ds, k: k, clustered: clustered, seed: seed)
        sweep.options = AllPairsOptions(rowBlock: rowBlock, columnBlock: columnBlock, threads: threadCount)
        sweep.repeats = repeats
        sweep.nonSymmetric = nonSymmetric
        sweep.run { print($0) }
    }
}
