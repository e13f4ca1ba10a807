import Foundation

/// Which city belongs to which network or programme, both ways, in compressed rows: the networks of a row
/// and the rows of a network, for the `--network` filter and the explanations' facts (the learned model reads
/// memberships through the dense networks group). URBACT networks are the slugs that start with `urbact-`
/// (as the reference extract names them).
public struct Memberships: Sendable {
    /// Network slugs, sorted.
    public let networks: [String]
    /// Networks of row `r`: `rowNetworks[rowStart[r]..<rowStart[r + 1]]`, ascending.
    public let rowStart: [Int32]
    public let rowNetworks: [Int32]
    /// Rows of network `k`: `members[memberStart[k]..<memberStart[k + 1]]`, ascending.
    let memberStart: [Int32]
    let members: [Int32]
    /// Whether each network is an URBACT network.
    public let isURBACT: [Bool]

    public static let urbactPrefix = "urbact-"

    /// The memberships listed in `networks` per row.
    public init(rowNetworks lists: [[String]]) {
        let names = Set(lists.joined()).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        var start: [Int32] = [0], flat: [Int32] = []
        for list in lists {
            flat += Set(list.compactMap { index[$0] }).sorted()
            start.append(Int32(flat.count))
        }
        self.init(networks: names, rowStart: start, rowNetworks: flat)
    }

    /// Memberships from their compressed rows (as an index stores them); nil when they are inconsistent.
    public init?(networks: [String], rowStart: [Int32], rowNetworks: [Int32], rows: Int) {
        guard rowStart.count == rows + 1, rowStart.first == 0, Int(rowStart.last ?? -1) == rowNetworks.count,
              zip(rowStart, rowStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              rowNetworks.allSatisfy({ $0 >= 0 && Int($0) < networks.count }) else { return nil }
        self.init(networks: networks, rowStart: rowStart, rowNetworks: rowNetworks)
    }

    init(networks: [String], rowStart: [Int32], rowNetworks: [Int32]) {
        self.networks = networks
        self.rowStart = rowStart
        self.rowNetworks = rowNetworks
        var counts = [Int32](repeating: 0, count: networks.count + 1)
        for k in rowNetworks { counts[Int(k) + 1] += 1 }
        for k in 0..<networks.count { counts[k + 1] += counts[k] }
        var fill = counts, members = [Int32](repeating: 0, count: rowNetworks.count)
        for r in 0..<(rowStart.count - 1) {
            for k in rowNetworks[Int(rowStart[r])..<Int(rowStart[r + 1])] {
                members[Int(fill[Int(k)])] = Int32(r)
                fill[Int(k)] += 1
            }
        }
        memberStart = counts
        self.members = members
        isURBACT = networks.map { $0.hasPrefix(Self.urbactPrefix) }
    }

    public var rows: Int { rowStart.count - 1 }

    /// The networks of `row`, ascending.
    public func networks(of row: Int) -> ArraySlice<Int32> {
        guard row >= 0, row < rows else { return [] }
        return rowNetworks[Int(rowStart[row])..<Int(rowStart[row + 1])]
    }

    /// The members of network `k`, ascending.
    public func members(of k: Int32) -> ArraySlice<Int32> {
        guard k >= 0, Int(k) < networks.count else { return [] }
        return members[Int(memberStart[Int(k)])..<Int(memberStart[Int(k) + 1])]
    }

    public func memberCount(_ k: Int32) -> Int { members(of: k).count }

    /// The index of a network slug.
    public func network(named slug: String) -> Int32? {
        var lo = 0, hi = networks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if networks[mid] < slug { lo = mid + 1 } else { hi = mid }
        }
        return lo < networks.count && networks[lo] == slug ? Int32(lo) : nil
    }

    /// The networks both rows belong to, ascending.
    public func shared(_ a: Int, _ b: Int) -> [Int32] {
        let x = networks(of: a), y = networks(of: b)
        var i = x.startIndex, j = y.startIndex, out: [Int32] = []
        while i < x.endIndex && j < y.endIndex {
            if x[i] == y[j] { out.append(x[i]); i += 1; j += 1 } else if x[i] < y[j] { i += 1 } else { j += 1 }
        }
        return out
    }
}
