import ArgumentParser
import Foundation
import TwinMatchCore

/// Options naming known partnerships.
struct KnownPairOptions: ParsableArguments {
    @Option(help: "Known partnerships: CSV with geonameid_a,geonameid_b (ids are profile ids; other columns ignored).")
    var knownPairs: String?

    func load(_ corpus: Corpus) throws -> KnownPairs? {
        guard let knownPairs else { return nil }
        let pairs = try KnownPairs.read(path: knownPairs, rowOf: corpus.profiles.row(ofId:))
        note(pairs.summary)
        return pairs
    }
}

/// Options of ranking with a learned model.
struct ModelOptions: ParsableArguments {
    @OptionGroup var known: KnownPairOptions
    @Option(help: ArgumentHelp("A fitted model (JSON from `twinmatch fit`), or `default` for the shipped one.",
                               discussion: "Its graph terms need known partnerships: the profiles' partners plus --known-pairs."))
    var model: String?

    /// The shipped model, fitted on the public twin-town pairs.
    static var defaultModelPath: String {
        URL(fileURLWithPath: DefaultDataset.path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models/default.json").path
    }

    /// The model file to read: --model, with `default` meaning the shipped one.
    var modelPath: String? { model.map { $0 == "default" ? Self.defaultModelPath : $0 } }

    /// The ranker these options ask for: --model over the profiles' partnerships and --known-pairs, or the
    /// content similarity with `weights` (never proposing those partners either).
    func ranker(_ corpus: Corpus, weights: GroupWeights, search: SearchOptions = SearchOptions()) throws -> any Ranker {
        let pairs = try known.load(corpus)?.pairs ?? []
        let fitted = try modelPath.map(TwinModel.load(path:))
        return corpus.ranker(known: pairs, model: fitted, weights: weights, search: search)
    }
}

func note(_ text: String) { FileHandle.standardError.write(Data("\(text)\n".utf8)) }
