import ArgumentParser
import Foundation
import TwinMatchCore

struct ReviveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revive",
        abstract: "Give each of a city's existing partnerships what the pair shares now and an agenda, and name those that no longer fit.",
        discussion: """
        For every known partner (a profile's partners field, the shipped public pairs or --known-pairs): the score now (0–100, with its main reasons; an existing pair's score includes its own partnership network), the modern topics both work on, other shared themes, complementary offers and seeks, networks both belong to with the year each joined where known, migration links (a community of at least 1% of one side's migrants), the first language when both share it, partners in common, and an agenda of up to 5 topics from the pair's data (offers and seeks first, then the modern topics both work on). Partnerships with the most to work on come first (a modern topic or a complementary offer counts 2, any other shared item 1). A partnership no longer fits when the pair shares nothing now (no theme, offer, network, language or migration link) or scores below a typical candidate (a raw score under 0); it is listed last with why. A city without a known partner gets a notice (standard error; JSON: `notice`) and an empty list.

        --report FILE.html also writes them as a page to share, with a map.

        Example: twinmatch revive --city Annecy
        """)

    @OptionGroup var data: ProfileOptions
    @OptionGroup var place: CityOptions
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var learned: ModelOptions
    @OptionGroup var out: OutputOptions
    @OptionGroup var page: ReportOptions

    func run() throws {
        let (corpus, city) = try data.load(place)
        let known = try learned.known.load(corpus)
        let ranker = try learned.ranker(corpus, known: known, weights: try scoring.groupWeights())
        let revival = ranker.revival(PartnerList(corpus: corpus, row: city, known: known))
        if let notice = revival.notice, out.format != .json { note("notice: \(notice)") }
        let set = corpus.profiles
        let files = AtomicFileSet()
        if let path = page.report {
            try writeReport(.revival(revival, set: set, outlines: try Shipped.countryOutlines(), asked: [("Command", commandLine())]), to: path, with: files)
        }
        try out.write(json: { revival.json(set) }, csv: { revival.csv(set, raw: $0) }, table: { revival.table(set) }, with: files)
    }
}
