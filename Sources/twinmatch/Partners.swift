import ArgumentParser
import Foundation
import TwinMatchCore

struct Partners: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a city's known partners.",
        discussion: "Each partner with its country, population and distance, and where the partnership comes from: a profile's own partners field (either city's) and/or the --known-pairs file, named.\n\nExample: twinmatch partners --city Annecy")

    @OptionGroup var data: ProfileOptions
    @OptionGroup var place: CityOptions
    @OptionGroup var known: KnownPairOptions
    @OptionGroup var out: OutputOptions

    func run() throws {
        let corpus = try data.load()
        let query = try place.resolve(corpus.profiles)
        let partners = PartnerList(corpus: corpus, row: query, known: try known.load(corpus))
        let set = corpus.profiles
        try out.write(json: { partners.json(set) }, csv: { partners.csv(set, raw: $0) }, table: { partners.table(set) })
    }
}
