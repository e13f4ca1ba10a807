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

    public var kind: Kind {
        switch self {
        case .size, .geography, .themes, .complementarity, .languages, .networks: return .dense
        case .partnerCount, .hasPartners, .logPartners, .logPopulation, .logPopulationSquared, .countryPlaces, .renown, .twinningRate: return .candidate
        case .commonPartners, .resourceAllocation, .threeHop, .twinnedNearby, .twinnedInArea, .nearPartners, .neighboursTwinned, .sameName, .namesakeCrowd, .twoHop, .twoHopShare, .logWalkTwo, .logWalkThree: return .graph
        default: return .pair
        }
    }

    public enum Kind: Sendable { case dense, candidate, pair, graph }

    /// The content group behind a dense or lookup term.
    public var group: FeatureGroup? { FeatureGroup(rawValue: rawValue) }

    static let graphTerms = allCases.filter { $0.kind == .graph }
}
