/// The terms of the learned partner model. A score is `Σ w_t · term_t(query, candidate)`; every term is
/// reported as its own contribution. Weights differ by the query's tier: cold queries (no known partner)
/// and warm ones.
///
/// Notation: `d` distance in km, `x = ln(1 + d / 100 km)`, `lp` = log10(population + 100), `N(x)` the known
/// partners of `x`, `deg` their number, `k(a, b) = exp(−d(a, b) / 25 km)` for `d ≤ 50 km` (0 beyond).
public enum ModelTerm: String, CaseIterable, Codable, Sendable {
    // Content similarity, one term per feature group (the engine's dense vectors and lookups).
    case size, geography, themes, complementarity, migration, languages, networks, country
    // Candidate-only terms.
    /// ln(1 + deg(c)): popular partners attract more.
    case partnerCount = "partner_count"
    /// 1 if c has any known partner.
    case hasPartners = "has_partners"
    /// ln(deg(c)), 0 without partners: a partner count in proportion to the known ones.
    case logPartners = "log_partners"
    /// lp(c): larger places attract more partners.
    case logPopulation = "log_population"
    /// lp(c)².
    case logPopulationSquared = "log_population_sq"
    /// ln(number of places in c's country): competition within a country.
    case countryPlaces = "country_places"
    /// ln(1 + the number of names GeoNames lists for c): renowned places are sought as partners.
    case renown
    /// Smoothed log-odds that a place of c's country and size band has a partner.
    case twinningRate = "twinning_rate"
    // Pair terms.
    /// exp(−d / 300 km), exp(−d / 1000 km), exp(−d / 3000 km).
    case near300 = "near_300km"
    case near1000 = "near_1000km"
    case near3000 = "near_3000km"
    /// lp(q) · lp(c): large places partner large places.
    case sizeProduct = "size_product"
    /// m(q) · lp(c), m(q) the mean lp of q's partners: c's size against the sizes q already twins with.
    case partnerSize = "partner_size"
    /// x = ln(1 + d / 100 km), and x²: a flexible distance preference.
    case logDistance = "log_distance"
    case logDistanceSquared = "log_distance_sq"
    /// x · mean x(q, z) over q's partners z: c's distance against the distances q already twins at.
    case partnerDistance = "partner_distance"
    /// renown(q) · renown(c): renowned places partner renowned places.
    case renownProduct = "renown_product"
    /// ln(1 + deg q) · ln(1 + deg c): hubs partner hubs.
    case hubProduct = "hub_product"
    /// Smoothed log P(partner country | query country) from the known pairs.
    case countryAffinity = "country_affinity"
    /// 1 if the two countries share a language.
    case sharedLanguage = "shared_language"
    /// Known pairs between the two regions (admin1) over the query region's pairs + 5.
    case regionAffinity = "region_affinity"
    /// Known pairs from the query's region to the candidate's country over the region's pairs + 5.
    case regionToCountry = "region_to_country"
    /// Known pairs from the query's country to the candidate's region over the country's pairs + 5.
    case countryToRegion = "country_to_region"
    // Graph terms over the known partnerships (sparse, per query).
    /// Σ_z∈N(q)∩N(c) 1: common partners.
    case commonPartners = "common_partners"
    /// Σ_z∈N(q)∩N(c) 1 / deg z: resource allocation.
    case resourceAllocation = "resource_allocation"
    /// Σ over paths q–z–y–c of 1 / (deg z · deg y): partners of partners of partners.
    case threeHop = "three_hop"
    /// Σ_z k(q, z) [c ∈ N(z)]: c is twinned with places near q.
    case twinnedNearby = "twinned_nearby"
    /// Σ_z k₁₅₀(q, z) [c ∈ N(z)] / deg z, with k₁₅₀ = exp(−d / 75 km) within 150 km: c is twinned with
    /// places of q's wider area, each place's partners sharing its weight.
    case twinnedInArea = "twinned_in_area"
    /// Σ_z∈N(q) k(z, c): c is near one of q's partners.
    case nearPartners = "near_partners"
    /// Σ_z Σ_y∈N(z) k(q, z) k(y, c): q's neighbours are twinned with c's neighbours.
    case neighboursTwinned = "neighbours_twinned"
    /// 1 if the two places share their name (namesakes twin: Boston–Boston, Frankfurt–Frankfurt).
    case sameName = "same_name"
    /// ln(number of other places with that name) for namesakes: the more namesakes, the less each twins.
    case namesakeCrowd = "namesake_crowd"
    /// 1 if q and c have a common partner.
    case twoHop = "two_hop"
    /// 1 / (places sharing a partner with q), for those places: a short list of partners of partners
    /// is likely to hold the next partner.
    case twoHopShare = "two_hop_share"
    /// ln(1 + 1000 · resource_allocation / deg q): the chance of reaching c in a two-step random walk from q.
    case logWalkTwo = "log_walk_two"
    /// ln(1 + 1000 · three_hop / deg q): the same in three steps.
    case logWalkThree = "log_walk_three"

    /// Where a term's value comes from.
    public enum Kind: Sendable { case dense, candidate, pair, graph }

    /// Where the ranking's fast path (`ModelRanker`) adds a term; `QueryTerms.value` is every term's
    /// reference computation, and a test ranks with each term alone against a full sort of those values.
    public enum FastPath: Sendable {
        /// The inner product of the weighted query vector and the stored vectors (BLAS).
        case gemm
        /// A per-candidate bias, the same for every query of a tier.
        case bias
        /// A per-query row over the candidate's country.
        case countryRow
        /// The country row, plus the candidate's link to the query's country.
        case migration
        /// A per-query row over the candidate's region.
        case regionRow
        /// A per-query coefficient of the candidate's lp.
        case sizeSlope
        /// A per-query coefficient of the candidate's renown.
        case renown
        /// The product of the two partner counts' logarithms.
        case hubs
        /// The terms of the great-circle distance, computed last and only where they can matter.
        case distance
        /// The query's sparse map over the candidates its graph terms reach.
        case graph
    }

    /// Everything declared about a term, in one place: its kind, what a high value says about the candidate
    /// in a few words (`explain --verbose` prints it beside the contribution; "the query" is the first city),
    /// the family a committee reads it in (`ReasonFamily`: its points and facts), and where the fast path
    /// adds it. Overlapping terms (the size terms, the distance terms) share a family, so a fit's large
    /// weights of opposite signs are only ever shown summed. The switch has no default: a new term does
    /// not compile until it is declared here.
    public struct Descriptor: Sendable {
        public let kind: Kind
        public let meaning: String
        public let family: ReasonFamily
        public let fastPath: FastPath
    }

    public var descriptor: Descriptor {
        func d(_ kind: Kind, _ meaning: String, _ family: ReasonFamily, _ fastPath: FastPath) -> Descriptor {
            Descriptor(kind: kind, meaning: meaning, family: family, fastPath: fastPath)
        }
        switch self {
        case .size: return d(.dense, "similar population", .size, .gemm)
        case .geography: return d(.dense, "near each other", .distance, .gemm)
        case .themes: return d(.dense, "shared themes", .themes, .gemm)
        case .complementarity: return d(.dense, "one offers what the other seeks", .themes, .gemm)
        case .migration: return d(.pair, "migration links between the two countries", .migration, .migration)
        case .languages: return d(.dense, "shared languages", .languages, .gemm)
        case .networks: return d(.dense, "shared city networks", .themes, .gemm)
        case .country: return d(.pair, "same country or continent", .countries, .countryRow)
        case .partnerCount: return d(.candidate, "many known partners", .renown, .bias)
        case .hasPartners: return d(.candidate, "has known partners", .renown, .bias)
        case .logPartners: return d(.candidate, "known partners, in proportion", .renown, .bias)
        case .logPopulation: return d(.candidate, "larger place", .size, .bias)
        case .logPopulationSquared: return d(.candidate, "larger place (curvature)", .size, .bias)
        case .countryPlaces: return d(.candidate, "many places in its country (competition)", .renown, .bias)
        case .renown: return d(.candidate, "a widely known name (GeoNames name variants)", .renown, .bias)
        case .twinningRate: return d(.candidate, "places of its country and size are often twinned", .renown, .bias)
        case .near300: return d(.pair, "within a few hundred km", .distance, .distance)
        case .near1000: return d(.pair, "within about 1,000 km", .distance, .distance)
        case .near3000: return d(.pair, "within a few thousand km", .distance, .distance)
        case .sizeProduct: return d(.pair, "both large", .size, .sizeSlope)
        case .partnerSize: return d(.pair, "a size like the query's partners'", .size, .sizeSlope)
        case .logDistance: return d(.pair, "farther away (log distance)", .distance, .distance)
        case .logDistanceSquared: return d(.pair, "farther away (curvature)", .distance, .distance)
        case .partnerDistance: return d(.pair, "a distance like the query's partners'", .distance, .distance)
        case .renownProduct: return d(.pair, "both widely known", .renown, .renown)
        case .hubProduct: return d(.pair, "both have many partners", .renown, .hubs)
        case .countryAffinity: return d(.pair, "its country often twins with the query's", .countries, .countryRow)
        case .sharedLanguage: return d(.pair, "the two countries share a language", .languages, .countryRow)
        case .regionAffinity: return d(.pair, "the two regions often twin with each other", .countries, .regionRow)
        case .regionToCountry: return d(.pair, "the query's region often twins with its country", .countries, .countryRow)
        case .countryToRegion: return d(.pair, "the query's country often twins with its region", .countries, .regionRow)
        case .commonPartners: return d(.graph, "partners in common", .partners, .graph)
        case .resourceAllocation: return d(.graph, "partners in common, each by 1 / its partner count", .partners, .graph)
        case .threeHop: return d(.graph, "a partner of a partner of a partner", .partners, .graph)
        case .twinnedNearby: return d(.graph, "twinned with places near the query", .partners, .graph)
        case .twinnedInArea: return d(.graph, "twinned with places in the query's area", .partners, .graph)
        case .nearPartners: return d(.graph, "near one of the query's partners", .partners, .graph)
        case .neighboursTwinned: return d(.graph, "its neighbours twin with the query's neighbours", .partners, .graph)
        case .sameName: return d(.graph, "the same name", .name, .graph)
        case .namesakeCrowd: return d(.graph, "a name many places share", .name, .graph)
        case .twoHop: return d(.graph, "has a partner in common with the query", .partners, .graph)
        case .twoHopShare: return d(.graph, "one of few places sharing a partner with the query", .partners, .graph)
        case .logWalkTwo: return d(.graph, "reached in two steps through partners", .partners, .graph)
        case .logWalkThree: return d(.graph, "reached in three steps through partners", .partners, .graph)
        }
    }

    public var kind: Kind { descriptor.kind }
    public var meaning: String { descriptor.meaning }
    public var family: ReasonFamily { descriptor.family }

    /// The content group behind a dense or lookup term.
    public var group: FeatureGroup? { FeatureGroup(rawValue: rawValue) }

    static let graphTerms = allCases.filter { $0.kind == .graph }

    /// Each term's position in `allCases`.
    static let position: [ModelTerm: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}
