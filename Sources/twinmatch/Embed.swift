import ArgumentParser
import Foundation
import TwinMatchCore

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the feature matrices whose inner products are the engine's scores, as .npy.",
        discussion: """
        Writes two float32 matrices with one row per city, in profile order:
          X.npy          the stored (candidate) vectors x
          X.queries.npy  the query vectors q = W x for the chosen --weights
        so that Q[a] · X[b] is exactly score(a, b) as `recommend` computes it before filters (and, the \
        score being symmetric, equals Q[b] · X[a]). X · Xᵀ alone is NOT the score: the query map W has \
        negative terms (the geography constant) and swapped halves (complementarity, migration), so it \
        is indefinite, and no single embedding reproduces every score. The country and migration groups, \
        lookups inside the engine, are written out as one-hot and share columns. Use both files, e.g. \
        `twinmatch batch --vectors X.npy --query-vectors X.queries.npy --ids ids.txt`, or faiss with \
        the candidates in the index and the queries as queries.

        Example: twinmatch embed --profiles datasets/world.csv --out world.npy --ids world.ids
        """)

    @OptionGroup var data: ProfileOptions
    @Option(help: "The candidate matrix to write (X.npy); the query matrix goes to X.queries.npy beside it.") var out: String
    @Option(help: "Also write the city ids, one per line in row order.") var ids: String?
    @OptionGroup var scoring: ScoringOptions

    func validate() throws {
        if !out.hasSuffix(".npy") { throw ValidationError("--out must end in .npy") }
    }

    /// `X.npy` → `X.queries.npy`.
    static func queriesPath(for out: String) -> String { String(out.dropLast(4)) + ".queries.npy" }

    func run() throws {
        let corpus = try data.load()
        let set = corpus.profiles
        let weights = try scoring.groupWeights()
        let (queries, candidates) = corpus.extractor.exportMatrices(stored: corpus.stored, pairGroups: corpus.pairGroups, weights: weights)
        // The matrices (and ids) appear together, once all are written: never one without the other.
        let files = AtomicFileSet()
        try files.write(NPY.encode(candidates), to: out)
        try files.write(NPY.encode(queries), to: Embed.queriesPath(for: out))
        if let ids { try files.write(Data((0..<set.count).map { set.profiles.id($0) + "\n" }.joined().utf8), to: ids) }
        try files.commit()
        FileHandle.standardError.write(Data("wrote \(set.count) × \(candidates.cols): \(out), \(Embed.queriesPath(for: out))\(ids.map { ", \($0)" } ?? "")\n".utf8))
    }
}
