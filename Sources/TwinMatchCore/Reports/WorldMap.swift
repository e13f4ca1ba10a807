import Foundation

/// A place on a map: where it is, the label in its marker (a rank), its name, its country (tinted on the
/// map) and the tooltip a reader sees when pointing at it.
public struct MapPoint: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public var label: String
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var title: String

    public init(latitude: Double, longitude: Double, label: String = "", name: String, country: String = "", title: String? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.label = label
        self.name = name
        self.country = country
        self.title = title ?? name
    }

    /// The place of profile row `row`, its tooltip `title` (default: name, country and population).
    public static func place(_ list: ProfileList, _ row: Int, label: String = "", title: String? = nil) -> MapPoint {
        let name = list.name(row), country = list.country(row)
        return MapPoint(latitude: list.latitude(row), longitude: list.longitude(row), label: label, name: name, country: country,
                        title: title ?? "\(name) (\(countryName(country))), population \(grouped(list.population(row)))")
    }
}

/// An SVG map of a query city and its candidates: country outlines as paths on an equirectangular
/// projection cropped to the places (the whole world when they span it), a line from the query to each
/// candidate, each candidate a circle numbered with its label, the query a distinct square with its name;
/// every path and marker has a `<title>` tooltip. Drawn in a box `projection.width` units wide; the page's
/// stylesheet (`ReportPage.css`) colours it by class: `country`, `home` (the query's country),
/// `candidate-country`, `link`, `candidate`, `query`.
extension MapPoint {
    /// A shortlist's candidates numbered by rank, each titled with its country, population, distance and score.
    public static func candidates(_ shortlist: Shortlist, set: ProfileSet) -> [MapPoint] {
        let list = set.profiles
        return zip(shortlist.list.results, shortlist.reasons).map { r, why in
            MapPoint.place(list, r.row, label: String(r.rank),
                           title: "\(r.rank). \(list.name(r.row)) (\(countryName(list.country(r.row)))), population \(grouped(list.population(r.row)))"
                               + ", \(grouped(r.distanceKm)) km away, score \(why.roundedPoints.score)")
        }
    }
}

public struct WorldMap: Sendable {
    public let query: MapPoint
    public let points: [MapPoint]
    public let projection: MapProjection
    public let outlines: CountryOutlines

    public init(query: MapPoint, points: [MapPoint], outlines: CountryOutlines, width: Double = 1000) {
        self.query = query
        self.points = points
        self.outlines = outlines
        projection = MapProjection.fitting(([query] + points).map { ($0.latitude, $0.longitude) }, width: width)
    }

    /// Marker sizes, in map units (the map is 1000 wide by default).
    var radius: Double { projection.width * 0.011 }

    public func svg() -> String {
        let p = projection
        let w = HTML.number(p.width), h = HTML.number(p.height)
        let label = "Map of \(query.name) and " + (points.count == 1 ? "its candidate" : "its \(points.count) candidates")
        var out = "<svg class=\"map\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" aria-label=\"\(HTML.escape(label))\">"
        out += HTML.text("title", label)
        out += HTML.empty("rect", ["class": "sea", "width": w, "height": h])
        out += HTML.element("g", ["class": "countries"], countryPaths())
        let qx = p.x(query.longitude), qy = p.y(query.latitude)
        out += HTML.element("g", ["class": "links"], points.map { c in
            line("link", from: (qx, qy), to: (p.x(c.longitude), p.y(c.latitude)))
        }.joined())
        // The first candidate drawn last, on top of the others.
        let markers = zip(points, markerPositions()).reversed().map { candidateMarker($0, at: $1) }
        out += HTML.element("g", ["class": "candidates"], markers.joined())
        out += queryMarker(x: qx, y: qy)
        return out + "</svg>"
    }

    /// One path per country with a ring in view (a ring is also drawn 360° east or west when that copy is
    /// in view), classed `home` for the query's country and `candidate-country` for the candidates'.
    func countryPaths() -> String {
        let p = projection
        let candidateCountries = Set(points.map(\.country))
        var out = ""
        for country in outlines.countries {
            var d = ""
            for ring in country.rings where ring.north >= p.south && ring.south <= p.north {
                for shift in [-360.0, 0, 360] where ring.east + shift >= p.west && ring.west + shift <= p.east {
                    d += ringPath(ring, shift: shift)
                }
            }
            guard !d.isEmpty else { continue }
            let kind = country.iso2 == query.country ? " home" : candidateCountries.contains(country.iso2) ? " candidate-country" : ""
            out += HTML.element("path", ["class": "country" + kind, "d": d], HTML.text("title", country.name))
        }
        return out
    }

    /// `M x,y x,y … Z` of a ring moved `shift` degrees east, repeated points (after rounding) left out.
    func ringPath(_ ring: OutlineRing, shift: Double) -> String {
        var d = "M", previous = ""
        for (lon, lat) in zip(ring.longitudes, ring.latitudes) {
            let point = HTML.number(projection.x(continuous: lon + shift)) + "," + HTML.number(projection.y(lat))
            if point == previous { continue }
            d += (previous.isEmpty ? "" : " ") + point
            previous = point
        }
        return d + "Z"
    }

    /// Where each candidate's marker goes, in rank order: on its place, or, when that would cover the query's
    /// square or a better-ranked candidate's marker, at the nearest free spot on rings around the place (up to
    /// six markers' widths away; the place itself when none is free).
    func markerPositions() -> [(x: Double, y: Double)] {
        let p = projection, clearance = radius * 2.1
        var taken = [(x: p.x(query.longitude), y: p.y(query.latitude))], out: [(x: Double, y: Double)] = []
        for c in points {
            let x0 = p.x(c.longitude), y0 = p.y(c.latitude)
            var spot = (x: x0, y: y0)
            search: for ring in 0...6 {
                let steps = max(1, 8 * ring)
                for k in 0..<steps {
                    let angle = Double(k) / Double(steps) * 2 * .pi - .pi / 2, r = Double(ring) * clearance
                    let x = x0 + r * cos(angle), y = y0 + r * sin(angle)
                    guard x >= radius, x <= p.width - radius, y >= radius, y <= p.height - radius else { continue }
                    if taken.allSatisfy({ hypot(x - $0.x, y - $0.y) >= clearance }) {
                        spot = (x, y)
                        break search
                    }
                }
            }
            taken.append(spot)
            out.append(spot)
        }
        return out
    }

    /// A numbered circle at `spot`; moved off its place, a dot marks the place with a leader line to it.
    func candidateMarker(_ c: MapPoint, at spot: (x: Double, y: Double)) -> String {
        let place = (x: projection.x(c.longitude), y: projection.y(c.latitude))
        let moved = hypot(spot.x - place.x, spot.y - place.y) > 0.5
        let leader = moved ? line("leader", from: place, to: spot)
            + HTML.empty("circle", ["class": "spot", "cx": HTML.number(place.x), "cy": HTML.number(place.y), "r": HTML.number(radius * 0.3)]) : ""
        let x = HTML.number(spot.x), y = HTML.number(spot.y)
        let circle = HTML.empty("circle", ["cx": x, "cy": y, "r": HTML.number(radius)])
        let text = HTML.text("text", ["x": x, "y": y, "dy": "0.35em"], c.label)
        return HTML.element("g", ["class": "candidate"], HTML.text("title", c.title) + leader + circle + text)
    }

    func line(_ kind: String, from a: (x: Double, y: Double), to b: (x: Double, y: Double)) -> String {
        HTML.empty("line", ["class": kind, "x1": HTML.number(a.x), "y1": HTML.number(a.y), "x2": HTML.number(b.x), "y2": HTML.number(b.y)])
    }

    /// A square on the query city, its name beside it (on the left near the map's right edge).
    func queryMarker(x: Double, y: Double) -> String {
        let side = radius * 1.6
        let square = HTML.empty("rect", ["x": HTML.number(x - side / 2), "y": HTML.number(y - side / 2),
                                         "width": HTML.number(side), "height": HTML.number(side)])
        let onLeft = x > projection.width * 0.75
        let name = HTML.text("text", ["x": HTML.number(onLeft ? x - side : x + side), "y": HTML.number(y), "dy": "0.35em",
                                      "text-anchor": onLeft ? "end" : "start"], query.name)
        return HTML.element("g", ["class": "query"], HTML.text("title", query.title) + square + name)
    }
}
