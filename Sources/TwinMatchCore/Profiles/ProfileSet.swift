import Foundation

/// A warning found while loading profiles: the loader kept going.
public struct ProfileWarning: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let field: String
    public let message: String
    public var description: String { "\(file):\(line): field '\(field)': \(message)" }
}

/// Profiles kept outside memory (a memory-mapped index): a few columns are cheap, whole profiles are
/// decoded on demand.
public protocol ProfileStore: Sendable {
    var count: Int { get }
    func profile(_ row: Int) -> CityProfile
    func id(_ row: Int) -> String
    func name(_ row: Int) -> String
    func country(_ row: Int) -> String
    func population(_ row: Int) -> Double
    func latitude(_ row: Int) -> Double
    func longitude(_ row: Int) -> Double
    func region(_ row: Int) -> String
    func nameVariants(_ row: Int) -> Int?
    func status(_ row: Int) -> Availability?
    func row(ofId id: String) -> Int?
    /// For every row, its position in id order.
    var idRank: [Int32] { get }
    /// The alternate names of `row` (default: from its decoded profile).
    func alternateNames(_ row: Int) -> [String]
    /// A stored name-key table, when the store has one (default: none, a dictionary is built on first use).
    var nameLookup: (any NameLookup)? { get }
}

extension ProfileStore {
    public func alternateNames(_ row: Int) -> [String] { profile(row).alternateNames }
    public var nameLookup: (any NameLookup)? { nil }
}

/// The profiles of a set, in row order: an array, or a `ProfileStore` that decodes rows when asked.
/// It compares equal to (and can be written as) an array literal, so code that treated `profiles` as
/// `[CityProfile]` keeps working.
public struct ProfileList: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: CityProfile...) { backing = .array(elements) }
    init(backing: Backing) { self.backing = backing }

    public static func == (a: ProfileList, b: ProfileList) -> Bool { a.elementsEqual(b) }

    enum Backing: Sendable {
        case array([CityProfile])
        case store(any ProfileStore)
    }
    let backing: Backing

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch backing {
        case .array(let a): return a.count
        case .store(let s): return s.count
        }
    }

    public subscript(row: Int) -> CityProfile {
        switch backing {
        case .array(let a): return a[row]
        case .store(let s): return s.profile(row)
        }
    }

    /// Whether rows are decoded on demand (so whole-set passes are costly).
    public var isLazy: Bool {
        if case .store = backing { return true }
        return false
    }

    public func id(_ row: Int) -> String {
        switch backing {
        case .array(let a): return a[row].id
        case .store(let s): return s.id(row)
        }
    }
    public func name(_ row: Int) -> String {
        switch backing {
        case .array(let a): return a[row].name
        case .store(let s): return s.name(row)
        }
    }
    public func country(_ row: Int) -> String {
        switch backing {
        case .array(let a): return a[row].country
        case .store(let s): return s.country(row)
        }
    }
    public func population(_ row: Int) -> Double {
        switch backing {
        case .array(let a): return a[row].population
        case .store(let s): return s.population(row)
        }
    }
    public func latitude(_ row: Int) -> Double {
        switch backing {
        case .array(let a): return a[row].latitude
        case .store(let s): return s.latitude(row)
        }
    }
    public func longitude(_ row: Int) -> Double {
        switch backing {
        case .array(let a): return a[row].longitude
        case .store(let s): return s.longitude(row)
        }
    }
    public func region(_ row: Int) -> String {
        switch backing {
        case .array(let a): return a[row].region
        case .store(let s): return s.region(row)
        }
    }
    public func status(_ row: Int) -> Availability? {
        switch backing {
        case .array(let a): return a[row].status
        case .store(let s): return s.status(row)
        }
    }

    public func nameVariants(_ row: Int) -> Int? {
        switch backing {
        case .array(let a): return a[row].nameVariants
        case .store(let s): return s.nameVariants(row)
        }
    }
    public func alternateNames(_ row: Int) -> [String] {
        switch backing {
        case .array(let a): return a[row].alternateNames
        case .store(let s): return s.alternateNames(row)
        }
    }
    /// The store's name-key table, if it has one.
    var storedNameLookup: (any NameLookup)? {
        if case .store(let s) = backing { return s.nameLookup }
        return nil
    }
}

/// A loaded, validated set of city profiles with lookup by id and by name.
public struct ProfileSet: Sendable {
    public let profiles: ProfileList
    public let warnings: [ProfileWarning]
    /// The rows left out under `--on-error skip` (none under `fail`, the default).
    public internal(set) var skipped = SkippedRows(policy: .fail)
    public let source: String
    private let rowById: [String: Int]
    private let store: (any ProfileStore)?
    /// For every row, its position in id order (ties between equal scores go to the smaller rank).
    public let idRank: [Int32]
    /// The name dictionary, built on the first lookup by name (see `nameLookup`).
    let names = LazyValue<NameDictionary>()

    public init(profiles: [CityProfile], warnings: [ProfileWarning] = [], source: String = "") {
        self.profiles = ProfileList(backing: .array(profiles))
        self.warnings = warnings
        self.source = source
        var byId: [String: Int] = [:]
        for (row, p) in profiles.enumerated() { byId[p.id] = row }
        rowById = byId
        store = nil
        idRank = ProfileSet.ranks(of: profiles.map(\.id))
    }

    /// A set over a store (an index): nothing is decoded up front.
    public init(store: any ProfileStore, source: String) {
        profiles = ProfileList(backing: .store(store))
        warnings = []
        self.source = source
        rowById = [:]
        self.store = store
        idRank = store.idRank
    }

    /// The position of each id in id order (see `idPrecedes`).
    public static func ranks(of ids: [String]) -> [Int32] {
        let order = ids.indices.sorted { idPrecedes(ids[$0], ids[$1]) }
        var rank = [Int32](repeating: 0, count: ids.count)
        for (position, row) in order.enumerated() { rank[row] = Int32(position) }
        return rank
    }

    public var count: Int { profiles.count }

    public func row(ofId id: String) -> Int? { store?.row(ofId: id) ?? rowById[id] }
}

