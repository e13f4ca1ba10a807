import ArgumentParser
import Foundation
import TwinMatchCore

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build a binary index of a profile set for fast, memory-mapped loading.",
        discussion: "The index holds the fitted schema, id/name/country/population/coordinate columns, every profile as JSON (decoded only when a command needs that row) and the stored float32 matrix, 64-byte aligned. recommend, explain and batch read it with --index FILE.\n\nExample: twinmatch index --profiles datasets/world.csv --out datasets/world.idx")

    @OptionGroup var data: ProfileOptions
    @Option(help: "The index file to write (atomically).") var out: String

    func run() throws {
        let corpus = try data.load()
        try CityIndex.write(corpus, to: out)
        FileHandle.standardError.write(Data("wrote \(out): \(corpus.count) cities × \(corpus.schema.dimension) features\n".utf8))
    }
}
