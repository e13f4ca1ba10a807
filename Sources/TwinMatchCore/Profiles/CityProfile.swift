/// A key with a weight in (0, 1]: a theme with its importance, or a migration origin with its share.
public struct Weighted: Sendable, Equatable, Codable {
    public var key: String
    public var weight: Double
    public init(_ key: String, _ weight: Double) {
        self.key = key
        self.weight = weight
    }
}

/// A municipality as TwinMatch sees it. The schema is documented in `datasets/README.md`.
public struct CityProfile: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// ISO 3166-1 alpha-2, uppercase.
    public var country: String
    public var region: String
    public var latitude: Double
    public var longitude: Double
    public var population: Double
    /// ISO 639-1 codes.
    public var languages: [String]
    /// Canonical themes with weights in (0, 1].
    public var themes: [Weighted]
    /// Themes the city has know-how to share.
    public var offers: [String]
    /// Themes the city wants to learn about.
    public var seeks: [String]
    /// Origin countries (ISO2) of the city's migrant communities, with their shares.
    public var migrationLinks: [Weighted]
    /// Network slugs, e.g. `intercultural-cities`.
    public var networks: [String]
    /// Ids of existing partner cities.
    public var partners: [String]
    /// Where enriched values come from: `field:value@source` tokens.
    public var sources: [String] = []
    /// How many names GeoNames lists for the place (its alternate names: translations, former and local
    /// names), a measure of its renown abroad; nil when unknown.
    public var nameVariants: Int? = nil
    /// Other names people may type for the place (GeoNames alternate names, made compact: see
    /// `AlternateNames.compact`), any script.
    public var alternateNames: [String] = []
    /// Whether the city looks for new partners (nil: it has not said).
    public var status: Availability? = nil

    public init(id: String, name: String, country: String, region: String = "", latitude: Double, longitude: Double,
                population: Double, languages: [String] = [], themes: [Weighted] = [], offers: [String] = [],
                seeks: [String] = [], migrationLinks: [Weighted] = [], networks: [String] = [], partners: [String] = []) {
        self.id = id
        self.name = name
        self.country = country
        self.region = region
        self.latitude = latitude
        self.longitude = longitude
        self.population = population
        self.languages = languages
        self.themes = themes
        self.offers = offers
        self.seeks = seeks
        self.migrationLinks = migrationLinks
        self.networks = networks
        self.partners = partners
    }

    /// The values a profile's place may take: degrees, and people (at most ten billion, more than live on
    /// Earth, so that every population is a whole number an `Int` holds when the results print it).
    public static let latitudes = -90.0...90.0
    public static let longitudes = -180.0...180.0
    public static let populations = 0.0...1e10

    /// Whether the latitude, longitude and population lie in those ranges (a NaN does not).
    public var hasValidPlace: Bool {
        Self.latitudes.contains(latitude) && Self.longitudes.contains(longitude) && Self.populations.contains(population)
    }

    /// All themes the city is associated with: its themes, offers and seeks.
    public var allThemes: Set<String> {
        Set(themes.map(\.key)).union(offers).union(seeks)
    }
}

/// What a city says of new partnerships: `open` to them, `complete` (it has the partners it wants) or
/// `inactive` (no twinning activity now).
public enum Availability: String, Sendable, Codable, CaseIterable {
    case open, complete, inactive
}

/// Orders ids the way results break ties: numerically when both are whole numbers, else as text.
public func idPrecedes(_ a: String, _ b: String) -> Bool {
    if let x = Int(a), let y = Int(b) { return x != y ? x < y : a < b }
    if Int(a) != nil { return true }
    if Int(b) != nil { return false }
    return a < b
}
