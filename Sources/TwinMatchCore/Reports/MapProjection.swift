import Foundation

/// An equirectangular projection (a plate carrée whose longitudes are scaled by the cosine of a standard
/// parallel) onto a rectangle of `width` × `height` units, showing the box `west…east` × `south…north`.
///
/// With `c = cos(standardParallel)` and `s = width / ((east − west) · c)` units per degree of latitude:
/// `x = (λ′ − west) · c · s`, `y = (north − φ) · s`, where `λ′` is the longitude brought within 180° of
/// `centralLongitude` (so a box may run past ±180°, and points across the antimeridian land beside each other).
public struct MapProjection: Sendable, Equatable {
    public let west: Double, east: Double, south: Double, north: Double
    /// The parallel whose scale is true: the middle of the box (0 for the whole world).
    public let standardParallel: Double
    public let width: Double

    /// The projection of the box; `west < east ≤ west + 360`, `−90 ≤ south < north ≤ 90`.
    public init(west: Double, east: Double, south: Double, north: Double, standardParallel: Double, width: Double = 1000) {
        precondition(west < east && east <= west + 360 && -90 <= south && south < north && north <= 90, "a box on the globe")
        self.west = west
        self.east = east
        self.south = south
        self.north = north
        self.standardParallel = standardParallel
        self.width = width
    }

    /// The whole world (Antarctica and the Arctic Ocean cut off), centred on Greenwich.
    public static func world(width: Double = 1000) -> MapProjection {
        MapProjection(west: -180, east: 180, south: -58, north: 84, standardParallel: 0, width: width)
    }

    public var centralLongitude: Double { (west + east) / 2 }
    var cosine: Double { cos(standardParallel * .pi / 180) }
    /// Units per degree of latitude.
    public var scale: Double { width / ((east - west) * cosine) }
    public var height: Double { (north - south) * scale }
    /// Whether the box spans every longitude.
    public var isWholeWorld: Bool { east - west >= 360 }

    /// `longitude` within 180° of the central longitude.
    public func unwrapped(_ longitude: Double) -> Double {
        let c = centralLongitude
        var l = longitude
        while l < c - 180 { l += 360 }
        while l >= c + 180 { l -= 360 }
        return l
    }

    public func x(_ longitude: Double) -> Double { x(continuous: unwrapped(longitude)) }
    /// `x` of a longitude taken as it is (a ring shifted by 360° as a whole keeps its shape).
    public func x(continuous longitude: Double) -> Double { (longitude - west) * cosine * scale }
    public func y(_ latitude: Double) -> Double { (north - latitude) * scale }

    /// The box around `points` (latitude, longitude) with a margin: the shortest run of longitudes holding
    /// them all, widened by `margin` of the spans (at least `minimumMarginDegrees`), then the lesser side
    /// widened until width ÷ height lies within `aspect`; the whole world when that box would span 300° of
    /// longitude or more (or when there is no point).
    public static func fitting(_ points: [(latitude: Double, longitude: Double)], width: Double = 1000, margin: Double = 0.12,
                               minimumMarginDegrees: Double = 2, aspect: ClosedRange<Double> = 1.25...2.0) -> MapProjection {
        guard !points.isEmpty else { return world(width: width) }
        let (west0, span) = longitudeRun(points.map(\.longitude))
        let south0 = points.map(\.latitude).min()!, north0 = points.map(\.latitude).max()!
        let lonMargin = max(span * margin, minimumMarginDegrees), latMargin = max((north0 - south0) * margin, minimumMarginDegrees)
        var west = west0 - lonMargin, east = west0 + span + lonMargin
        var south = max(-89, south0 - latMargin), north = min(89, north0 + latMargin)
        let parallel = max(-60, min(60, (south + north) / 2))
        let c = cos(parallel * .pi / 180)
        let ratio = (east - west) * c / (north - south)
        if ratio < aspect.lowerBound {
            let grow = (aspect.lowerBound * (north - south) / c - (east - west)) / 2
            west -= grow
            east += grow
        } else if ratio > aspect.upperBound {
            let wanted = (east - west) * c / aspect.upperBound
            (south, north) = heldWithin(centre: (south + north) / 2, span: wanted, -89...89)
        }
        guard east - west < 300 else { return world(width: width) }
        return MapProjection(west: west, east: east, south: south, north: north, standardParallel: parallel, width: width)
    }

    /// The start and length of the shortest run of longitudes (degrees east, going east) that holds all of
    /// `longitudes`: the circle minus its largest gap between neighbouring values.
    static func longitudeRun(_ longitudes: [Double]) -> (start: Double, span: Double) {
        let sorted = longitudes.map { l -> Double in
            let m = (l + 180).truncatingRemainder(dividingBy: 360)
            return (m < 0 ? m + 360 : m) - 180
        }.sorted()
        var gap = sorted.first! + 360 - sorted.last!, start = sorted.first!
        for (a, b) in zip(sorted, sorted.dropFirst()) where b - a > gap {
            gap = b - a
            start = b
        }
        return (start, 360 - gap)
    }

    /// A range of `span` around `centre`, moved (not shrunk) to stay within `limits` where it fits.
    static func heldWithin(centre: Double, span: Double, _ limits: ClosedRange<Double>) -> (Double, Double) {
        let span = min(span, limits.upperBound - limits.lowerBound)
        var low = centre - span / 2
        low = max(limits.lowerBound, min(low, limits.upperBound - span))
        return (low, low + span)
    }
}
