import Foundation

/// The mean Earth radius (IUGG), km.
public let earthRadiusKm = 6371.0088

/// Great-circle distance in km.
public func haversineKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
    let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
    let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
    return 2 * earthRadiusKm * asin(min(1, sqrt(a)))
}
