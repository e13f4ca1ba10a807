import ArgumentParser
import Foundation
import TwinMatchCore

struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank partner candidates for one city.",
        discussion: "Scores run from 0 to 100 and split into points per family of reasons (partnership network, size, distance, country ties, renown, themes and networks, migration links, languages, same name), each with the facts behind it; --verbose (table) adds the raw score and terms, which JSON and CSV always carry. The city itself and its partners are never proposed; its own country only with --allow-same-country. An empty list says on standard error (JSON: `notice`) which filter emptied it.\n\nExample: twinmatch recommend --city Cuneo --mode diaspora --max-per-country 2")

    @OptionGroup var request: ShortlistRequest
    @OptionGroup var out: OutputOptions

    func run() throws {
        let (corpus, _, _, shortlist) = try request.shortlist()
        if let notice = shortlist.notice, out.format != .json { note("notice: \(notice)") }
        let set = corpus.profiles
        try out.write(json: { shortlist.json(set) }, csv: { shortlist.csv(set, raw: $0) }, table: { shortlist.table(set, verbose: request.data.verbose) })
    }
}

/// What a shortlist is asked with (recommend's and report's options): the profiles, the city, how many
/// candidates, the weights, the filters and the ranking.
struct ShortlistRequest: ParsableArguments {
    @OptionGroup var data: ProfileOptions
    @OptionGroup var place: CityOptions
    @Option(help: "How many candidates.") var limit = 10
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var learned: ModelOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// The city's shortlist, with the corpus, ranker and filter it was drawn with.
    func shortlist() throws -> (corpus: Corpus, ranker: any Ranker, filter: CandidateFilter, shortlist: Shortlist) {
        let corpus = try data.load()
        let query = try place.resolve(corpus.profiles)
        let ranker = try learned.ranker(corpus, weights: try scoring.groupWeights())
        let filter = try filters.filter(for: corpus)
        if let problem = filter.modeProblem(query: query, corpus: corpus) { throw ValidationError(problem.message) }
        return (corpus, ranker, filter, ranker.shortlist(query, limit: limit, filter: filter))
    }
}
