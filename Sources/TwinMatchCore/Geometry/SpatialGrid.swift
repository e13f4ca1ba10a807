import Foundation

/// Finds points within a radius on the sphere, using a grid of 1° cells.
public struct SpatialGrid: Sendable {
    struct Cell: Hashable { let lat: Int32; let lon: Int32 }
    let cells: [Cell: [Int32]]
    let latitudes: [Double]
    let longitudes: [Double]

    /// A grid over the points `rows` (indices into the coordinate arrays).
    public init(latitudes: [Double], longitudes: [Double], rows: [Int]) {
        self.latitudes = latitudes
        self.longitudes = longitudes
        var cells: [Cell: [Int32]] = [:]
        for r in rows { cells[Self.cell(latitudes[r], longitudes[r]), default: []].append(Int32(r)) }
        self.cells = cells
    }

    static func cell(_ lat: Double, _ lon: Double) -> Cell {
        Cell(lat: Int32((lat + 90).rounded(.down)), lon: Int32((lon + 180).rounded(.down)) % 360)
    }

    /// The points within `km` of (`lat`, `lon`) with their distances.
    public func within(km: Double, lat: Double, lon: Double) -> [(row: Int, km: Double)] {
        let dLat = Int((km / 111.19).rounded(.up))
        let cosLat = max(0.01, cos(min(89.0, abs(lat) + Double(dLat)) * .pi / 180))
        let dLon = min(180, Int((km / (111.19 * cosLat)).rounded(.up)))
        let c = Self.cell(lat, lon)
        var out: [(row: Int, km: Double)] = []
        // The longitude cells from c.lon − dLon eastwards, each once (all 360 when the span wraps around).
        let span = min(2 * dLon + 1, 360)
        for a in (Int(c.lat) - dLat)...(Int(c.lat) + dLat) where a >= 0 && a < 180 {
            for b in (Int(c.lon) - dLon)..<(Int(c.lon) - dLon + span) {
                let lonCell = Int32(((b % 360) + 360) % 360)
                for r in cells[Cell(lat: Int32(a), lon: lonCell)] ?? [] {
                    let d = haversineKm(lat, lon, latitudes[Int(r)], longitudes[Int(r)])
                    if d <= km { out.append((Int(r), d)) }
                }
            }
        }
        return out
    }
}
