import ArgumentParser
import Foundation
import TwinMatchCore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a page to share: a city's shortlist with a map, its reasons as bars and their facts.",
        discussion: """
        One self-contained HTML file (no script, nothing fetched from elsewhere) to open in any browser, mail or print: \
        what was asked, a map of the city and its candidates numbered by rank, each candidate's score (0–100) with its \
        reasons as bars of points and the facts behind them, the date and the data credits. It takes recommend's \
        options and ranks the same list. The file appears only when complete (written atomically).

        Example: twinmatch report --city Annecy --out annecy.html
        """)

    @OptionGroup var request: ShortlistRequest
    @Option(help: "The HTML file to write (atomically), e.g. annecy.html.") var out: String

    func validate() throws { try checkWritable(out, option: "--out") }

    func run() throws {
        let outlines = try Shipped.countryOutlines()
        let (corpus, ranker, filter, shortlist) = try request.shortlist()
        let set = corpus.profiles, list = set.profiles, query = shortlist.list.query
        var page = ReportPage(title: "Partners for \(list.name(query))", subtitle: ReportPage.placeLine(list, query))
        page.addFacts(asked(list, query, filter: filter, partners: ranker.graph.degree(query)), heading: "What was asked")
        page.addMap(shortlist, set: set, outlines: outlines)
        page.addShortlist(shortlist, set: set)
        try writeReport(page, to: out)
        note("wrote \(out): \(shortlist.list.results.count) candidates for \(list.name(query))"
             + (shortlist.notice.map { "; notice: \($0)" } ?? ""))
    }

    /// What the request was, in words: ranking, known partnerships, how many, filters, interests, weights, the command.
    func asked(_ list: ProfileList, _ query: Int, filter: CandidateFilter, partners: Int) -> [(label: String, value: String)] {
        let name = list.name(query), learned = request.learned
        let shipped = "the learned model shipped with twinmatch, fitted on the public twin-town partnerships"
        let ranking = learned.content ? "content similarity (weighted feature groups)"
            : learned.model.map { $0 == "default" ? shipped : "the learned model in \($0)" } ?? shipped
        let known = learned.known.noKnownPairs ? "the profiles' own"
            : learned.known.knownPairs.map { "the profiles' own and those of \($0)" } ?? "the profiles' own and the shipped public pairs"
        var facts: [(label: String, value: String)] = [
            ("Ranking", ranking),
            ("Known partnerships", "\(known); \(name) has \(partners == 1 ? "1 known partner" : "\(partners) known partners"), never proposed"),
            ("Candidates", request.limit == 1 ? "the best one" : "the best \(request.limit)"),
        ]
        let conditions = filter.summary(query: query, list: list)
        var filters = conditions.isEmpty ? "any place" : "places that " + conditions.joined(separator: "; ")
        if let n = filter.maxNearby { filters += "; spread over places (a candidate is passed over while \(n) listed ones lie within 30 km)" }
        facts.append(("Filters", filters))
        let interests = [("seeks", request.filters.modes.seeks), ("offers", request.filters.modes.offers)].filter { !$0.1.isEmpty }
            .map { "\($0.0) " + $0.1.joined(separator: ", ") }
        if !interests.isEmpty { facts.append(("Stated interests", "\(name) " + interests.joined(separator: "; "))) }
        if let weights = request.scoring.weights { facts.append(("Weights", weights)) }
        facts.append(("Command", commandLine()))
        return facts
    }
}

/// The command as it was typed, each argument quoted where the shell would need it.
func commandLine() -> String {
    (["twinmatch"] + CommandLine.arguments.dropFirst()).map { arg in
        arg.allSatisfy { $0.isLetter || $0.isNumber || "-_.,/=:@+".contains($0) } ? arg : "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
}

/// A page's file option for commands that also write a report (`--report FILE.html`).
struct ReportOptions: ParsableArguments {
    @Option(help: "Also write a page to share (self-contained HTML, written atomically) to this file.") var report: String?

    func validate() throws {
        if let report { try checkWritable(report, option: "--report") }
    }
}

/// Fails, naming `option`, unless `path` is a file name in an existing folder this process can write to
/// (checked before any work, so a bad path costs no ranking).
func checkWritable(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option) needs a file name") }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
        throw ValidationError("\(option) \(path) is a folder; give a file name, e.g. \(path)/report.html")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw ValidationError("\(option) \(path): the folder \(folder) does not exist")
    }
    guard access(folder, W_OK) == 0 else { throw ValidationError("\(option) \(path): the folder \(folder) is not writable") }
}

/// Writes `page` to `path`, atomically: the file appears only when complete (with `files`, together with them).
func writeReport(_ page: ReportPage, to path: String, with files: AtomicFileSet? = nil) throws {
    if let files { try files.write(Data(page.render().utf8), to: path) } else { try AtomicFile.write(Data(page.render().utf8), to: path) }
}
