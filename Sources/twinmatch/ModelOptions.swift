import ArgumentParser
import Foundation
import TwinMatchCore

/// Options naming known partnerships: by default the public twin-town pairs shipped in
/// `datasets/reference/twin_pairs.csv`.
struct KnownPairOptions: ParsableArguments {
    @Option(help: "Known partnerships: CSV with geonameid_a,geonameid_b (ids are profile ids; other columns ignored). Replaces the shipped public pairs.")
    var knownPairs: String?
    @Flag(help: "Use no known partnerships beyond those the profiles list (not even the shipped public pairs).")
    var noKnownPairs = false

    /// The file to read: --known-pairs, else the shipped pairs unless --no-known-pairs.
    var path: String? { noKnownPairs ? nil : knownPairs ?? Shipped.knownPairs }

    func validate() throws {
        if noKnownPairs && knownPairs != nil { throw ValidationError("give --known-pairs or --no-known-pairs, not both") }
    }

    /// The pairs of `path` among the corpus's profiles. A file given with --known-pairs is summarised on
    /// standard error; a file that names no profile is a warning with its counts.
    func load(_ corpus: Corpus) throws -> KnownPairs? {
        guard let path else { return nil }
        let pairs = try KnownPairs.read(path: path, rowOf: corpus.profiles.row(ofId:))
        if pairs.pairs.isEmpty {
            note("warning: \(pairs.summary): none names a profile, so the model ranks without known partnerships")
        } else if knownPairs != nil {
            note(pairs.summary)
        }
        return pairs
    }
}

/// Options of ranking: the learned model by default, or the content similarity.
struct ModelOptions: ParsableArguments {
    @OptionGroup var known: KnownPairOptions
    @Option(help: ArgumentHelp("A fitted model (JSON from `twinmatch fit`); default: the shipped one, fitted on the public twin-town pairs.",
                               discussion: "Its graph terms read the known partnerships: the profiles' partners plus the shipped pairs or --known-pairs."))
    var model: String?
    @Flag(help: "Rank by content similarity only (weighted feature groups, see --weights) instead of the learned model.")
    var content = false

    func validate() throws {
        if content && model != nil { throw ValidationError("give --model or --content, not both") }
    }

    /// The model file to read: --model (`default` meaning the shipped one), none with --content.
    var modelPath: String? { content ? nil : model.map { $0 == "default" ? Shipped.model : $0 } ?? Shipped.model }

    /// The model's name for manifests: its path, or `default`.
    var modelName: String { model ?? "default" }

    /// The ranker these options ask for: the model over the profiles' partnerships and the known pairs, or
    /// with --content the content similarity with `weights` (never proposing those partners either).
    func ranker(_ corpus: Corpus, weights: GroupWeights, search: SearchOptions = SearchOptions()) throws -> any Ranker {
        try ranker(corpus, known: try known.load(corpus), weights: weights, search: search)
    }

    /// The ranker over `known` pairs already loaded (`known.load`), for a command that also lists them.
    func ranker(_ corpus: Corpus, known pairs: KnownPairs?, weights: GroupWeights, search: SearchOptions = SearchOptions()) throws -> any Ranker {
        let fitted = try modelPath.map(TwinModel.load(path:))
        return corpus.ranker(known: pairs?.pairs ?? [], model: fitted, weights: weights, search: search)
    }
}

func note(_ text: String) { FileHandle.standardError.write(Data("\(terminalSafe(text))\n".utf8)) }
