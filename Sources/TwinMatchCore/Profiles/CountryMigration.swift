import Foundation

/// Country-level migration links: how many people born in each origin country live in each destination
/// country (UN DESA International Migrant Stock 2019, each destination's latest year). Every origin is kept,
/// however small: Italy's 103,744 Senegal-born residents are a link between Cuneo and Louga. A city with
/// no migration links of its own inherits its country's; the figures are the country's, and are shown so.
public struct CountryMigration: Codable, Sendable, Equatable {
    public struct Link: Codable, Sendable, Equatable {
        public let origin: String
        /// People born in `origin` living in the destination country.
        public let stock: Double
        /// Their share of all the destination's migrants, in (0, 1].
        public let share: Double

        /// Whether the share lies in 0…1 and the stock is finite and not negative (as `read` makes them).
        public var isValid: Bool { (0...1).contains(share) && stock.isFinite && stock >= 0 }
    }

    /// Destination ISO2 → its links, largest stock first (ties by origin).
    public let links: [String: [Link]]
    /// Destination ISO2 → the year of its figures.
    public let year: [String: Int]
    /// Where the figures come from, as explanations cite them.
    public let source: String

    public init(links: [String: [Link]], year: [String: Int], source: String) {
        self.links = links.mapValues { $0.sorted { $0.stock != $1.stock ? $0.stock > $1.stock : $0.origin < $1.origin } }
        self.year = year
        self.source = source
    }

    /// No country-level links (profiles keep only their own).
    public static let none = CountryMigration(links: [:], year: [:], source: "")

    /// The migrant stock extract shipped with the default dataset.
    public static let shippedFile = "migrant_stock.csv"

    /// Reads `dest_iso2, origin_iso2, migrant_stock, share_of_dest_migrants, year`. Rows naming a code that
    /// is not a country, or the destination itself, are skipped; a malformed number is an error.
    public static func read(path: String) throws -> CountryMigration {
        let table = try CSVTable(path: path, regenerate: "regenerate datasets/reference with scripts/extract_reference.py")
        try table.require(["dest_iso2", "origin_iso2", "migrant_stock", "share_of_dest_migrants", "year"])
        var links: [String: [Link]] = [:], year: [String: Int] = [:]
        for r in table.records {
            let dest = table.value(r, "dest_iso2").uppercased(), origin = table.value(r, "origin_iso2").uppercased()
            guard Countries.named(dest) != nil, Countries.named(origin) != nil, dest != origin else { continue }
            func number(_ field: String) throws -> Double {
                guard let v = Double(table.value(r, field)), v.isFinite, v >= 0 else {
                    throw InputError(file: path, line: r.line, field: field, "'\(table.value(r, field))' is not a non-negative number")
                }
                return v
            }
            let stock = try number("migrant_stock"), share = min(1, try number("share_of_dest_migrants"))
            guard let y = Int(table.value(r, "year")) else {
                throw InputError(file: path, line: r.line, field: "year", "'\(table.value(r, "year"))' is not a year")
            }
            guard stock > 0, share > 0 else { continue }
            links[dest, default: []].append(Link(origin: origin, stock: stock, share: share))
            year[dest] = max(year[dest] ?? 0, y)
        }
        return CountryMigration(links: links, year: year, source: "UN DESA International Migrant Stock 2019")
    }

    /// The link from `origin` into `destination`, if the table has one.
    public func link(into destination: String, from origin: String) -> Link? {
        links[destination]?.first { $0.origin == origin }
    }

    /// Every country the table names.
    public var countries: Set<String> {
        var out = Set(links.keys)
        for list in links.values { for l in list { out.insert(l.origin) } }
        return out
    }
}
