import ArgumentParser
import Foundation
import TwinMatchCore

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build a binary index of a profile set for fast, memory-mapped loading.",
        discussion: "The index holds the fitted schema, id/name/country/population/coordinate columns, every profile as JSON (decoded only when a command needs that row) and the stored float32 matrix, 64-byte aligned. recommend, explain and batch read it with --index FILE.")

    @OptionGroup var data: ProfileOptions
    @Option(help: "The index file to write (atomically).") var out: String

    func run() throws {
        let set = try data.load()
        let schema = FeatureSchema.fit(Array(set.profiles))
        let stored = FeatureExtractor(schema: schema).transform(Array(set.profiles))
        try CityIndex.write(set, schema: schema, stored: stored, to: out)
        FileHandle.standardError.write(Data("wrote \(out): \(set.count) cities × \(schema.dimension) features\n".utf8))
    }
}
