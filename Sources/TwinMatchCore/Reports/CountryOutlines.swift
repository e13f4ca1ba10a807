import Foundation

/// One closed ring of a country's outline, in degrees (the first point is not repeated at the end), with
/// its bounding box.
public struct OutlineRing: Sendable, Equatable {
    public let longitudes: [Double]
    public let latitudes: [Double]
    public let west: Double, east: Double, south: Double, north: Double

    public init(longitudes: [Double], latitudes: [Double]) {
        precondition(longitudes.count == latitudes.count && !longitudes.isEmpty, "a ring has as many longitudes as latitudes")
        self.longitudes = longitudes
        self.latitudes = latitudes
        west = longitudes.min()!
        east = longitudes.max()!
        south = latitudes.min()!
        north = latitudes.max()!
    }
}

/// A country's outline: its ISO 3166-1 alpha-2 code, its name as the map data gives it, and its rings
/// (outer rings and holes alike; they are filled with the even-odd rule).
public struct CountryOutline: Sendable, Equatable {
    public let iso2: String
    public let name: String
    public let rings: [OutlineRing]
}

/// The world's country outlines, for maps: Natural Earth's 1:110m admin-0 countries (public domain),
/// simplified to 0.1° by `scripts/extract_outlines.py` into `datasets/reference/country_outlines.csv`.
///
/// The file is CSV with the header `iso2,name,ring`, one row per ring; a ring is `lon lat` pairs separated
/// by `;`, at least three. Rows of one country follow each other or not; they are gathered by code, in
/// the order of their first row.
public struct CountryOutlines: Sendable, Equatable {
    public let countries: [CountryOutline]

    public init(countries: [CountryOutline]) { self.countries = countries }

    /// The file's name in `datasets/reference/`.
    public static let shippedFile = "country_outlines.csv"
    /// Where its data comes from, as a credit line must say it.
    public static let credit = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (public domain)"
    static let regenerate = "regenerate it with scripts/extract_outlines.py"

    /// Reads an outlines file; a malformed one is an `InputError` naming the file, line and field.
    public static func read(path: String) throws -> CountryOutlines {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the country outlines (does the file exist?): \(regenerate)")
        }
        return try parse([UInt8](data), file: path)
    }

    /// Parses the text of an outlines file; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws -> CountryOutlines {
        let records = try CSVReader.parse(bytes, file: file)
        let header = ["iso2", "name", "ring"]
        guard let first = records.first else { throw InputError(file: file, "the file is empty: \(regenerate)") }
        guard first.fields.map(trimSpaces) == header else {
            throw InputError(file: file, line: first.line, "expected the header iso2,name,ring, found \(first.fields.joined(separator: ","))")
        }
        var order: [String] = [], names: [String: String] = [:], rings: [String: [OutlineRing]] = [:]
        for r in records.dropFirst() {
            guard r.fields.count == header.count else {
                throw InputError(file: file, line: r.line, "expected 3 fields (iso2,name,ring), found \(r.fields.count)")
            }
            let iso2 = trimSpaces(r.fields[0])
            guard Countries.named(iso2) != nil else {
                throw InputError(file: file, line: r.line, field: "iso2", "'\(iso2)' is not an ISO 3166-1 alpha-2 country code")
            }
            let ring = try parseRing(r.fields[2], file: file, line: r.line)
            if rings[iso2] == nil {
                order.append(iso2)
                names[iso2] = trimSpaces(r.fields[1])
            }
            rings[iso2, default: []].append(ring)
        }
        guard !order.isEmpty else { throw InputError(file: file, "no country outline in the file: \(regenerate)") }
        return CountryOutlines(countries: order.map { CountryOutline(iso2: $0, name: names[$0]!, rings: rings[$0]!) })
    }

    /// `lon lat;lon lat;…`: at least three points, each within −180…180 and −90…90.
    static func parseRing(_ text: String, file: String, line: Int) throws -> OutlineRing {
        var lons: [Double] = [], lats: [Double] = []
        for (i, point) in text.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            let parts = point.split(separator: " ")
            guard parts.count == 2, let lon = Double(parts[0]), let lat = Double(parts[1]) else {
                throw InputError(file: file, line: line, field: "ring", "point \(i + 1) '\(point)' is not 'lon lat' (two numbers separated by a space)")
            }
            guard lon.isFinite, lat.isFinite, (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw InputError(file: file, line: line, field: "ring", "point \(i + 1) '\(point)' is outside −180…180 longitude or −90…90 latitude")
            }
            lons.append(lon)
            lats.append(lat)
        }
        guard lons.count >= 3 else {
            throw InputError(file: file, line: line, field: "ring", "a ring needs at least 3 points, found \(lons.count)")
        }
        return OutlineRing(longitudes: lons, latitudes: lats)
    }
}
