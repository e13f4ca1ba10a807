import ArgumentParser
import Foundation
import TwinMatchCore

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the outputs of `batch --shard I/N` into the output of one unsharded run.",
        discussion: """
        Give every shard's output (its FILE.manifest.json is read beside it), the manifests themselves, or \
        a folder holding them. The manifests must agree (tool version, format, inputs by SHA-256, options \
        but the thread count, shard count and query total), every shard from 1 to N must be there once, and \
        each output must still have the SHA-256 its manifest records. The outputs are then joined in shard \
        order (a CSV header once): the same bytes as the batch without --shard. FILE.manifest.json is the \
        unsharded run's manifest, with summed counts and timings and a `merged_from` field.

        Exit status: 65 when the shards disagree, one appears twice or an output changed; 66 when a shard \
        or its output is missing; 64 for a wrong command line.

        Example: twinmatch merge shards/ --out top100.csv
        """)

    @Argument(help: "Shard outputs, their manifests, or folders of shards.") var shards: [String]
    @Option(help: "The merged output (its manifest is FILE.manifest.json).") var out: String

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give the shards' outputs or a folder of shards") }
        if out.isEmpty { throw ValidationError("--out needs a file name") }
    }

    func run() throws {
        let manifest = try ShardMerge.merge(shards, into: out, command: CommandLine.arguments)
        note("merged into \(out) (manifest \(manifest))")
    }
}
