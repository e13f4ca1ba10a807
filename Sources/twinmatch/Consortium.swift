import ArgumentParser
import Foundation
import TwinMatchCore

struct ConsortiumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consortium",
        abstract: "Choose partners for an EU project consortium: cities that fit the lead city and each other.",
        discussion: """
        The pool is the lead's best candidates under the filters (--pool, default max(60, 8 × size)), on the lead's continent unless --candidate-country or --worldwide. Each city ranks the pool: the lead by its scores, each member by its scores of the others less what the whole pool thinks of each, as percentiles (0–100); a pair's fit is the mean of where each puts the other. A beam search picks --size members maximising where the lead ranks them plus --cohesion (default 0.5) × their mean fits with the other members, under the rules, which all count the lead: --min-countries, at most --max-per-country cities of one country (default: half the size, rounded up), and with --mixed-sizes a small (under 50,000), a medium and a large (250,000 and more) city. --theme T makes every member hold theme T. The table lists the members best for the lead first with why each is in, then what the group shares: countries, sizes, themes at least half of it holds, complementary offers and seeks, networks in common.

        --report FILE.html also writes the group as a page to share, with a map.

        Example: twinmatch consortium --city Villach --size 6 --mixed-sizes --min-countries 4 --max-km 500 --allow-same-country --candidate-country AT --candidate-country IT --candidate-country DE --candidate-country FR --candidate-country CH --candidate-country SI
        """)

    @OptionGroup var data: ProfileOptions
    @OptionGroup var place: CityOptions
    @Option(help: "How many members besides the lead (2 to 20).") var size: Int
    @Option(help: "At least this many countries in the group, the lead's counting.") var minCountries: Int?
    @Option(help: "How much a member's mean fit with the other members counts against its score for the lead.") var cohesion = 0.5
    @Option(help: "How many of the lead's best candidates the members are chosen from (default max(60, 8 × size)).") var pool: Int?
    @Flag(help: "Candidates from every continent (by default the lead's own, unless --candidate-country names countries).") var worldwide = false
    @OptionGroup var scoring: ScoringOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var learned: ModelOptions
    @OptionGroup var out: OutputOptions
    @OptionGroup var page: ReportOptions

    func request(_ filter: CandidateFilter) throws -> ConsortiumRequest {
        do {
            // --max-per-country and --mixed-sizes are the group's rules here, not a shape of the pool.
            var pool = filter
            pool.shape = ListShape()
            return try ConsortiumRequest(size: size, minCountries: minCountries, maxPerCountry: filters.maxPerCountry,
                                         mixedSizes: filters.mixedSizes, cohesion: cohesion, poolSize: self.pool, worldwide: worldwide, filter: pool)
        } catch let error as OptionError { throw ValidationError(error.message) }
    }

    func validate() throws { _ = try request(CandidateFilter()) }

    func run() throws {
        let (corpus, lead) = try data.load(place)
        let ranker = try learned.ranker(corpus, weights: try scoring.groupWeights())
        let consortium: Consortium
        do { consortium = try ranker.consortium(lead: lead, try request(try filters.filter(for: corpus))) } catch let error as OptionError {
            throw ValidationError(error.message)
        }
        let set = corpus.profiles
        let files = AtomicFileSet()
        if let path = page.report {
            let asked = [("Group", "\(size) members besides the lead, \(consortium.request.rules.described)"), ("Command", commandLine())]
            try writeReport(.consortium(consortium, set: set, outlines: try Shipped.countryOutlines(), asked: asked), to: path, with: files)
        }
        try out.write(json: { consortium.json(set) }, csv: { consortium.csv(set, raw: $0) }, table: { consortium.table(set) }, with: files)
    }
}
