import Foundation

/// Writes profiles as CSV in the documented schema (the format `ProfileLoader` reads).
public enum ProfileWriter {
    public static let header = ["id", "name", "country", "region", "lat", "lon", "population", "name_variants", "alternate_names", "languages", "themes",
                                "offers", "seeks", "migration_links", "networks", "partners", "sources", "status"]

    public static func csv<S: Sequence<CityProfile>>(_ profiles: S) -> String {
        var out = header.joined(separator: ",") + "\n"
        out.reserveCapacity(profiles.underestimatedCount * 96)
        for p in profiles {
            let names: [String] = [p.id, p.name, p.country, p.region, coordinate(p.latitude), coordinate(p.longitude),
                                   String(Int(p.population.rounded())), p.nameVariants.map(String.init) ?? "", p.alternateNames.joined(separator: ";")]
            let facts: [String] = [p.languages.joined(separator: ";"), weighted(p.themes), p.offers.joined(separator: ";"), p.seeks.joined(separator: ";"),
                                   weighted(p.migrationLinks), p.networks.joined(separator: ";"), p.partners.joined(separator: ";"),
                                   p.sources.joined(separator: ";"), p.status?.rawValue ?? ""]
            let fields = names + facts
            out += fields.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func coordinate(_ x: Double) -> String {
        var s = String(format: "%.5f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    static func weighted(_ items: [Weighted]) -> String {
        items.map { $0.weight == 1 ? $0.key : "\($0.key):\(trimmed($0.weight))" }.joined(separator: ";")
    }

    static func trimmed(_ x: Double) -> String {
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func quote(_ s: String) -> String {
        s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
