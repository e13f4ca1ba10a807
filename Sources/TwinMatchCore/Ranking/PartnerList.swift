import Foundation

/// A city's known partners, each with where the partnership comes from.
public struct PartnerList: Sendable {
    public struct Entry: Sendable, Equatable {
        public let row: Int
        public let distanceKm: Double
        /// Where the partnership is recorded: "<city>'s profile" (its `partners` field) and/or the
        /// known-pairs file by name.
        public let sources: [String]
    }

    public let query: Int
    /// Nearest first, then by id.
    public let entries: [Entry]

    /// The partners of `row` in `corpus`'s profiles (either side listing the other) and in `known`.
    public init(corpus: Corpus, row q: Int, known: KnownPairs? = nil) {
        query = q
        let list = corpus.profiles.profiles
        var sources: [Int: [String]] = [:]
        let own = list[q]
        for (a, b) in corpus.listedPairs where a == q || b == q {
            let other = a == q ? b : a
            if own.partners.contains(list.id(other)) { sources[other, default: []].append("\(own.name)'s profile") }
            let theirs = list[other]
            if theirs.partners.contains(own.id) { sources[other, default: []].append("\(theirs.name)'s profile") }
        }
        if let known {
            let file = URL(fileURLWithPath: known.file).lastPathComponent
            for (a, b) in known.pairs where a == q || b == q { sources[a == q ? b : a, default: []].append(file.isEmpty ? "known pairs" : file) }
        }
        let idRank = corpus.idRank
        entries = sources.map { Entry(row: $0.key, distanceKm: corpus.distanceKm(q, $0.key), sources: $0.value) }
            .sorted { ($0.distanceKm, idRank[$0.row]) < ($1.distanceKm, idRank[$1.row]) }
    }

    /// `{"schema_version", "query", "partners": [{place…, distance_km, sources}]}`.
    public func json(_ set: ProfileSet) -> JSON {
        .object([
            ("schema_version", .int(outputSchemaVersion)),
            ("query", placeJSON(set, query)),
            ("partners", .array(entries.map { e in
                guard case .object(let place) = placeJSON(set, e.row) else { return .null }
                return .object(place + [("distance_km", .number((e.distanceKm * 10).rounded() / 10)),
                                        ("sources", .array(e.sources.map(JSON.string)))])
            })),
        ])
    }

    /// A text table: city, country, population, km, source.
    public func table(_ set: ProfileSet) -> String {
        let q = set.profiles[query]
        var out = "Known partners of \(q.name) (\(q.country), id \(q.id), population \(grouped(q.population))): \(entries.count)\n"
        guard !entries.isEmpty else { return out + "none known: no profile lists one and no known-pairs file names one (--known-pairs FILE)\n" }
        out += "\n"
        let rows = entries.map { e -> [String] in
            let c = set.profiles[e.row]
            return [c.name, c.country, grouped(c.population), grouped(e.distanceKm), e.sources.joined(separator: "; ")]
        }
        return out + tableText(["city", "country", "population", "km", "source"], rows, rightAligned: [2, 3])
    }

    /// One row per partner: id, name, country, region, lat, lon, population, distance_km, sources (`;`).
    /// Text cells are made safe for spreadsheets unless `raw` (`csvField`).
    public func csv(_ set: ProfileSet, raw: Bool = false) -> String {
        var out = "id,name,country,region,lat,lon,population,distance_km,sources\n"
        for e in entries {
            let c = set.profiles[e.row]
            let cells = [c.id, c.name, c.country, c.region, JSON.number(c.latitude), JSON.number(c.longitude), String(Int(c.population)),
                         String(format: "%.1f", e.distanceKm), e.sources.joined(separator: ";")]
            out += cells.map { csvField($0, raw: raw) }.joined(separator: ",") + "\n"
        }
        return out
    }
}
