import Foundation
import TwinMatchCore

/// What the server answers from: the corpus, the known partnerships and the ranker, loaded once, and the
/// shipped tables that filters and maps read. Each endpoint is a function of it and the request's values,
/// answering JSON (or CSV, SVG) or throwing an `APIError`.
public struct MatchService: Sendable {
    public let corpus: Corpus
    public let ranker: any Ranker
    public let known: KnownPairs?
    public let areas: Areas
    public let outlines: CountryOutlines
    /// What /v1/health says was loaded: the dataset's and the model's names.
    public let datasetName: String
    public let modelName: String
    /// Region names by `CC/CODE`.
    let regionNames: [String: String]

    public static let maxLimit = 1_000
    public static let maxSuggestions = 50

    public init(corpus: Corpus, ranker: any Ranker, known: KnownPairs?, areas: Areas, outlines: CountryOutlines, datasetName: String, modelName: String) {
        self.corpus = corpus
        self.ranker = ranker
        self.known = known
        self.areas = areas
        self.outlines = outlines
        self.datasetName = datasetName
        self.modelName = modelName
        regionNames = Dictionary(areas.regions.map { ($0.key, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    var set: ProfileSet { corpus.profiles }

    // MARK: - Endpoints

    /// `GET /v1/health`.
    public func health() -> JSON {
        .object([("schema_version", .int(outputSchemaVersion)), ("status", .string("ok")), ("version", .string(TwinMatchVersion.string)),
                 ("dataset", .string(datasetName)), ("places", .int(corpus.count)), ("model", .string(modelName)),
                 ("known_partnerships", .int(ranker.graph.edgeCount))])
    }

    /// `GET /v1/vocabulary`: what the filters take: modes, themes, country groups and networks (with
    /// how many places belong to each).
    func vocabulary(_ values: inout RequestValues) throws -> JSON {
        try values.finish(known: [])
        let m = corpus.memberships
        let networks = m.networks.indices.map { k in (slug: m.networks[k], count: m.memberCount(Int32(k))) }
            .filter { $0.count > 0 }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.slug < $1.slug }
        return .object([
            ("schema_version", .int(outputSchemaVersion)),
            ("modes", .array(MatchMode.allCases.map { .string($0.rawValue) })),
            ("themes", .array(ThemeVocabulary.themes.map(JSON.string))),
            ("country_groups", .array(areas.groups.map { .object([("slug", .string($0.slug)), ("name", .string($0.name))]) })),
            ("networks", .array(networks.map { .object([("slug", .string($0.slug)), ("name", .string(networkName($0.slug))), ("places", .int($0.count))]) })),
        ])
    }

    /// `GET /v1/cities?q=&country=&limit=`: places whose names start with `q`, whole names first, then by population.
    func cities(_ values: inout RequestValues) throws -> JSON {
        guard let q = try values.one("q").map(trimSpaces), !q.isEmpty else {
            throw APIError.badParameter("q", "q must be the start of a city's name, e.g. q=ann")
        }
        guard !nameKeys(q).isEmpty else { throw APIError.badParameter("q", "q must contain a letter or a digit") }
        let country = try values.one("country").map { try countryCode($0, parameter: "country") }
        let limit = try values.int("limit", in: 1...Self.maxSuggestions) ?? 10
        try values.finish(known: ["q", "country", "limit"])
        let found = set.suggestions(q, country: country, limit: limit)
        return .object([("schema_version", .int(outputSchemaVersion)), ("q", .string(q)), ("cities", .array(found.map { s in
            var fields = placeFields(s.row)
            fields.append(("whole_name", .bool(s.whole)))
            if let alt = s.alsoKnownAs { fields.append(("also_known_as", .string(alt))) }
            return .object(fields)
        }))])
    }

    /// `GET /v1/cities/{id}`: the profile and its known partners.
    func city(_ id: String, _ values: inout RequestValues) throws -> JSON {
        let row = try self.row(id)
        try values.finish(known: [])
        let p = set.profiles[row]
        let partners = PartnerList(corpus: corpus, row: row, known: known)
        var fields = placeFields(row)
        fields += [
            ("languages", .array(p.languages.map(JSON.string))),
            ("themes", .array(p.themes.map { .object([("theme", .string($0.key)), ("weight", .number($0.weight))]) })),
            ("offers", .array(p.offers.map(JSON.string))), ("seeks", .array(p.seeks.map(JSON.string))),
            ("migration_links", .array(p.migrationLinks.map { .object([("country", .string($0.key)), ("share", .number($0.weight))]) })),
            ("status", p.status.map { .string($0.rawValue) } ?? .null),
            ("alternate_names", .array(p.alternateNames.prefix(40).map(JSON.string))),
            ("sources", .array(p.sources.map(JSON.string))),
        ]
        let list = partners.entries.map { e -> JSON in
            .object(placeFields(e.row) + [("distance_km", .number((e.distanceKm * 10).rounded() / 10)), ("sources", .array(e.sources.map(JSON.string)))])
        }
        return .object([("schema_version", .int(outputSchemaVersion)), ("city", .object(fields)), ("partners", .array(list))])
    }

    /// What `GET /v1/cities/{id}/recommendations` answers in.
    enum ListFormat: String, CaseIterable { case json, csv }

    /// `GET /v1/cities/{id}/recommendations`: `recommend`'s shortlist under the same options, with the map
    /// (`map_svg`) when `include-map` is set. CSV with `format=csv`.
    func recommendations(_ id: String, _ values: inout RequestValues) throws -> (body: String, format: ListFormat, city: String) {
        let row = try self.row(id)
        let limit = try values.int("limit", in: 1...Self.maxLimit) ?? 10
        let format = try values.choice("format", ListFormat.self) ?? .json
        let withMap = try values.flag("include-map")
        let filter = try candidateFilter(&values, for: row)
        try values.finish(known: ["limit", "format", "include-map"] + RequestValues.filterNames)
        let shortlist = ranker.shortlist(row, limit: limit, filter: filter)
        let name = set.profiles.name(row)
        if format == .csv { return (shortlist.csv(set, raw: false), .csv, name) }
        let json = shortlist.json(set)
        guard withMap, case .object(let fields) = json else { return (json.render(pretty: false), .json, name) }
        let map = WorldMap(query: .place(set.profiles, row), points: MapPoint.candidates(shortlist, set: set), outlines: outlines)
        return (JSON.object(fields + [("map_svg", .string(map.svg()))]).render(pretty: false), .json, name)
    }

    /// `GET /v1/pairs/{a}/{b}`: `explain`, under the mode parameters.
    func pair(_ a: String, _ b: String, _ values: inout RequestValues) throws -> JSON {
        let ra = try row(a), rb = try row(b)
        guard ra != rb else { throw APIError.badParameter("b", "the two cities are the same") }
        var request = FilterRequest()
        try values.modes(into: &request)
        try values.finish(known: RequestValues.modeNames)
        var filter = CandidateFilter()
        try request.applyModes(to: &filter)
        if let problem = filter.modeProblem(query: ra, corpus: corpus) { throw APIError.from(problem) }
        return ranker.explain(ra, rb, filter: filter).json(set)
    }

    /// `POST /v1/consortium`: `consortium`'s group for the body's `city` and `size`, under its other members
    /// (`min-countries`, `cohesion`, `pool`, `worldwide` and the filters, by their query names).
    func consortium(_ values: inout RequestValues) throws -> JSON {
        guard let id = try values.one("city") else { throw APIError.badParameter("city", "city must be the lead city's id, e.g. \"city\": \"3037543\"") }
        let lead = try row(id)
        guard let size = try values.int("size", in: ConsortiumRequest.sizes) else {
            throw APIError.badParameter("size", "size must be how many members besides the lead, \(ConsortiumRequest.sizes.lowerBound) to \(ConsortiumRequest.sizes.upperBound)")
        }
        let minCountries = try values.int("min-countries", in: 1...100)
        let cohesion = try values.double("cohesion") ?? 0.5
        let pool = try values.int("pool", in: 1...2_000)
        let worldwide = try values.flag("worldwide")
        var wanted = try values.filterRequest()
        try values.finish(known: ["city", "size", "min-countries", "cohesion", "pool", "worldwide"] + RequestValues.filterNames)
        let (maxPerCountry, mixedSizes) = (wanted.maxPerCountry, wanted.mixedSizes)
        (wanted.maxPerCountry, wanted.mixedSizes) = (nil, false)
        let filter = try resolved(wanted, for: lead)
        do {
            let request = try ConsortiumRequest(size: size, minCountries: minCountries, maxPerCountry: maxPerCountry, mixedSizes: mixedSizes,
                                                cohesion: cohesion, poolSize: pool, worldwide: worldwide, filter: filter)
            return try ranker.consortium(lead: lead, request).json(set)
        } catch { throw APIError.from(error) }
    }

    /// `GET /v1/cities/{id}/revival`: `revive`'s partnerships with what each pair shares now.
    func revival(_ id: String, _ values: inout RequestValues) throws -> JSON {
        let row = try self.row(id)
        try values.finish(known: [])
        return ranker.revival(PartnerList(corpus: corpus, row: row, known: known)).json(set)
    }

    // MARK: - Parts

    /// The row of the place with `id`: a malformed id is a 400, an unknown one a 404 with the places whose
    /// names start with it (someone may have typed a name).
    func row(_ id: String) throws -> Int {
        guard (1...64).contains(id.utf8.count), id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0)) }) else {
            throw APIError.badParameter("id", "a city id is 1 to 64 letters, digits, '.', '_', ':' or '-' (a GeoNames id such as 3037543); find one with /v1/cities?q=")
        }
        guard let row = set.row(ofId: id) else {
            let named = nameKeys(id).isEmpty ? [] : set.suggestions(id, limit: 5).map { JSON.object(placeFields($0.row)) }
            throw APIError(status: 404, code: "unknown_city", "no city has id '\(id)'" + (named.isEmpty ? "" : "; places named so are suggested"),
                           parameter: "id", suggestions: named)
        }
        return row
    }

    /// The request's filter for `query`, checked, its mode possible for the city.
    func candidateFilter(_ values: inout RequestValues, for query: Int) throws -> CandidateFilter {
        try resolved(try values.filterRequest(), for: query)
    }

    func resolved(_ wanted: FilterRequest, for query: Int) throws -> CandidateFilter {
        do {
            let filter = try wanted.filter(for: corpus, areas: { areas })
            if let problem = filter.modeProblem(query: query, corpus: corpus) { throw problem }
            return filter
        } catch { throw APIError.from(error) }
    }

    /// A place as lists show it: `placeJSON`'s fields with the country's and region's names.
    func placeFields(_ row: Int) -> [(String, JSON)] {
        guard case .object(var fields) = placeJSON(set, row) else { return [] }
        let p = set.profiles
        let country = p.country(row)
        fields.insert(("country_name", .string(Countries.named(country)?.name ?? country)), at: 3)
        fields.insert(("region_name", regionNames["\(country)/\(p.region(row))"].map(JSON.string) ?? .null), at: 5)
        return fields
    }

    func countryCode(_ text: String, parameter: String) throws -> String {
        let code = text.uppercased()
        guard Countries.named(code) != nil else { throw APIError.badParameter(parameter, "\(parameter) must be an ISO 3166-1 alpha-2 code such as FR, not '\(text)'") }
        return code
    }
}
