import Foundation

/// A binary index of a corpus: everything `recommend`, `explain` and `batch` need, memory-mapped on open
/// so that a world-sized set is usable without parsing it.
///
/// Layout (little-endian; every section starts on a 64-byte boundary):
///
///     0   magic "TWMINDX1" (8 bytes)
///     8   u32 format version, u32 section count
///     16  u64 rows, u64 dimension
///     32  section table: (u64 offset, u64 length) per `Section`
///     …   u64 checksum: `Checksum.tree` of the file's other bytes
///     …   sections
///
/// String columns are a `u64 × (rows + 1)` offsets section plus a UTF-8 bytes section. Profiles are
/// stored whole as JSON (one object per row) and decoded only for the rows a command touches; names,
/// countries, regions, populations, coordinates and name-variant counts are plain columns; `idOrder`
/// lists rows in id order (binary search by id) and `idRank` is its inverse (tie-breaking); `partnerPairs`
/// holds the partnerships the profiles list, as row pairs; `nameKey…` is the table of folded names
/// (`IndexNameTable`) that finds a place by name without a scan. The stored float32 matrix is last. Every size is
/// checked against the file's length with overflow-checked arithmetic before anything is read, after the
/// checksum has been checked: a damaged byte anywhere (even one that keeps a value in range) is refused at open.
public final class CityIndex: ProfileStore, Sendable {
    public static let magic = Array("TWMINDX1".utf8)
    public static let formatVersion: UInt32 = 8
    /// Where the file's checksum lies: right after the section table.
    static let checksumRange = (32 + 16 * Section.allCases.count)..<(40 + 16 * Section.allCases.count)

    /// The sections, in table order.
    enum Section: Int, CaseIterable {
        case schema, idOffsets, idBytes, nameOffsets, nameBytes, countryOffsets, countryBytes
        case population, latitude, longitude, profileOffsets, profileBytes, idOrder, idRank
        case pairCountry, linkStart, linkCountry, linkWeight, regionOffsets, regionBytes, nameVariants, partnerPairs
        case countryMigration, networkNames, networkStart, networkIds, nameKeyOffsets, nameKeyBytes, nameKeyRows
        case statusOffsets, statusBytes, matrix
    }

    public let path: String
    public let count: Int
    public let dimension: Int
    public let schema: FeatureSchema
    public let stored: FloatMatrix
    public let idRank: [Int32]
    /// The country and migration groups.
    public let pairGroups: PairGroups
    /// The partnerships the profiles list, as rows, smaller first, ascending.
    public let partnerPairs: [(Int, Int)]
    /// The networks of every row.
    public let memberships: Memberships
    /// Folded names to rows.
    public let nameTable: IndexNameTable
    let file: MappedFile
    let sections: [(offset: Int, length: Int)]
    /// Profiles decoded so far, by row.
    private let cache = Locked([Int: CityProfile]())

    /// Opens and checks the index at `path`: the schema, the id tables and the lookups are read, the matrix
    /// and the profiles are mapped.
    public init(path: String) throws {
        self.path = path
        try InputFile.check(path, what: "the index")
        do { file = try MappedFile(path: path) } catch { throw InputError(file: path, kind: .io, "cannot read the index: \(error)") }
        func fail(_ why: String) -> InputError { InputError(file: path, "not a valid TwinMatch index: \(why)") }
        guard file.bytes(at: 0, count: 8) == CityIndex.magic else { throw fail("bad magic (expected TWMINDX1; build one with `twinmatch index`)") }
        guard let version = file.load(UInt32.self, at: 8), version == CityIndex.formatVersion else {
            throw fail("format version \(file.load(UInt32.self, at: 8).map(String.init) ?? "?"), this build reads \(CityIndex.formatVersion) (rebuild it with `twinmatch index`)")
        }
        guard let sectionCount = file.load(UInt32.self, at: 12), Int(sectionCount) == Section.allCases.count,
              let rows = file.load(UInt64.self, at: 16), let dim = file.load(UInt64.self, at: 24),
              rows < 1 << 40, dim < 1 << 24, file.length >= CityIndex.checksumRange.upperBound else { throw fail("truncated or damaged header") }
        // The checksum covers every other byte, so nothing below meets a damaged one unless the file was crafted.
        // On the world index (397 MB) its 1 MiB chunks are hashed on both cores of a 2-core machine in about 20 ms,
        // page cache warm (one core: 40 ms; a serial SHA-256: 340 ms).
        guard file.load(UInt64.self, at: CityIndex.checksumRange.lowerBound) == Checksum.tree(of: file, skipping: CityIndex.checksumRange) else {
            throw fail("its checksum does not match its contents: the file is damaged or truncated (rebuild it with `twinmatch index`)")
        }
        count = Int(rows)
        dimension = Int(dim)
        var table: [(Int, Int)] = []
        for i in 0..<Int(sectionCount) {
            guard let o = file.load(UInt64.self, at: 32 + 16 * i), let l = file.load(UInt64.self, at: 40 + 16 * i),
                  o <= UInt64(file.length), l <= UInt64(file.length) - o else { throw fail("section \(i) lies outside the file (truncated?)") }
            table.append((Int(o), Int(l)))
        }
        sections = table
        let n = count
        func expect(_ s: Section, _ bytes: Int) throws {
            guard table[s.rawValue].1 == bytes else { throw fail("section \(s) has \(table[s.rawValue].1) bytes, expected \(bytes)") }
        }
        // rows < 2⁴⁰ and dimension < 2²⁴ (checked above), so these products fit in 64 bits.
        for s in [Section.idOffsets, .nameOffsets, .countryOffsets, .profileOffsets, .regionOffsets, .statusOffsets] { try expect(s, 8 * (n + 1)) }
        for s in [Section.population, .latitude, .longitude, .nameVariants] { try expect(s, 8 * n) }
        try expect(.idOrder, 4 * n)
        try expect(.idRank, 4 * n)
        try expect(.matrix, 4 * n * dimension)
        let schemaSection = table[Section.schema.rawValue]
        guard let schemaBytes = file.bytes(at: schemaSection.0, count: schemaSection.1),
              let schema = try? JSONDecoder().decode(FeatureSchema.self, from: Data(schemaBytes)) else { throw fail("unreadable schema") }
        // The lookups built on the schema are keyed by its vocabularies: a word named twice is refused here.
        if let (field, why) = schema.problem {
            throw InputError(file: path, field: "schema." + field, "not a valid TwinMatch index: in its schema, \(why)")
        }
        guard schema.dimension == dimension else { throw fail("schema dimension \(schema.dimension) ≠ matrix dimension \(dimension)") }
        self.schema = schema
        guard let m = file.matrix(rows: n, cols: dimension, byteOffset: table[Section.matrix.rawValue].0) else { throw fail("misaligned matrix") }
        // A NaN or an infinity would rank silently wrong. One pass over the matrix, on all cores: on the world
        // index (223,889 × 299, 268 MB) 39–77 ms with the page cache warm on a busy 2-core machine, more
        // when the file is first read from disk (every ranking reads the whole matrix anyway).
        // Every group of a stored vector is normalised, so every value lies in −1…1; a larger one (a damaged
        // file) would overflow the scores into infinities.
        if let (r, c) = m.firstBeyond(1) {
            let v = m[r, c]
            throw fail("the stored matrix holds \(v) at row \(r + 1), column \(c + 1)\(v.isFinite ? ", outside -1…1" : "") (rebuild the index with `twinmatch index`)")
        }
        stored = m
        // The place columns lie in the ranges the profile reader admits (results print populations as whole
        // numbers): one pass over three columns.
        for (section, field, range) in [(Section.latitude, "lat", CityProfile.latitudes), (.longitude, "lon", CityProfile.longitudes),
                                        (.population, "population", CityProfile.populations)] {
            let at = table[section.rawValue].0
            for row in 0..<n {
                let v = file.double(at: at + 8 * row) ?? .nan // the column's length was checked above
                guard range.contains(v) else {
                    throw InputError(file: path, field: field, "not a valid TwinMatch index: row \(row + 1) has \(v), outside \(range.lowerBound)…\(range.upperBound)")
                }
            }
        }
        guard let ranks = file.integers(Int32.self, at: table[Section.idRank.rawValue].0, count: n) else { throw fail("unreadable id ranks") }
        idRank = ranks
        let mapped = file
        func ints(_ s: Section) -> [Int32]? { mapped.integers(Int32.self, at: table[s.rawValue].0, count: table[s.rawValue].1 / 4) }
        guard let country = ints(.pairCountry), let start = ints(.linkStart), let linkCountry = ints(.linkCountry),
              let bits = mapped.integers(UInt32.self, at: table[Section.linkWeight.rawValue].0, count: table[Section.linkWeight.rawValue].1 / 4)
        else { throw fail("unreadable country and migration columns") }
        let weights = bits.map(Float.init(bitPattern:))
        guard PairGroups.isValid(rows: n, countries: schema.countries.count, country: country, linkStart: start,
                                 linkCountry: linkCountry, linkWeight: weights) else { throw fail("inconsistent country and migration columns") }
        let migrationSection = table[Section.countryMigration.rawValue]
        guard let migrationBytes = file.bytes(at: migrationSection.0, count: migrationSection.1),
              let migration = try? JSONDecoder().decode(CountryMigration.self, from: Data(migrationBytes)) else {
            throw fail("unreadable country migration table")
        }
        for destination in migration.links.keys.sorted() {
            guard let link = migration.links[destination]?.first(where: { !$0.isValid }) else { continue }
            throw InputError(file: path, field: "countryMigration", "not a valid TwinMatch index: the link from \(link.origin) into \(destination) "
                             + "has share \(link.share) and stock \(link.stock) (a share in 0…1 and a finite stock ≥ 0 expected)")
        }
        pairGroups = PairGroups(schema: schema, country: country, linkStart: start, linkCountry: linkCountry, linkWeight: weights,
                                migration: migration)
        guard let flat = ints(.partnerPairs), flat.count % 2 == 0 else { throw fail("unreadable partnerships") }
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(flat.count / 2)
        for i in stride(from: 0, to: flat.count, by: 2) {
            let a = Int(flat[i]), b = Int(flat[i + 1])
            guard a >= 0, a < b, b < n else { throw fail("partnership \(i / 2 + 1) names rows \(a) and \(b) of \(n)") }
            pairs.append((a, b))
        }
        partnerPairs = pairs
        let namesSection = table[Section.networkNames.rawValue]
        guard let nameBytes = file.bytes(at: namesSection.0, count: namesSection.1),
              let networkNames = try? JSONDecoder().decode([String].self, from: Data(nameBytes)),
              let networkStart = ints(.networkStart), let networkIds = ints(.networkIds),
              let memberships = Memberships(networks: networkNames, rowStart: networkStart, rowNetworks: networkIds, rows: n) else {
            throw fail("unreadable network memberships")
        }
        self.memberships = memberships
        let keyRows = table[Section.nameKeyRows.rawValue]
        guard keyRows.1 % 4 == 0 else { throw fail("unreadable name keys") }
        try expect(.nameKeyOffsets, 8 * (keyRows.1 / 4 + 1))
        nameTable = IndexNameTable(file: file, offsets: table[Section.nameKeyOffsets.rawValue].0, bytes: table[Section.nameKeyBytes.rawValue],
                                   rowsAt: keyRows.0, keyCount: keyRows.1 / 4, rowCount: n)
    }

    public var nameLookup: (any NameLookup)? { nameTable }

    // MARK: Columns

    func string(_ offsets: Section, _ bytes: Section, _ row: Int) -> String {
        let o = sections[offsets.rawValue].offset, b = sections[bytes.rawValue]
        guard row >= 0, row < count, let start = file.load(UInt64.self, at: o + 8 * row), let end = file.load(UInt64.self, at: o + 8 * row + 8),
              start <= end, end <= UInt64(b.length) else { return "" } // compared unsigned: a damaged offset past Int.max cannot trap
        return file.string(at: b.offset + Int(start), count: Int(end - start)) ?? ""
    }

    func number(_ section: Section, _ row: Int) -> Double {
        guard row >= 0, row < count else { return .nan }
        return file.double(at: sections[section.rawValue].offset + 8 * row) ?? .nan
    }

    public func id(_ row: Int) -> String { string(.idOffsets, .idBytes, row) }
    public func name(_ row: Int) -> String { string(.nameOffsets, .nameBytes, row) }
    public func country(_ row: Int) -> String { string(.countryOffsets, .countryBytes, row) }
    public func population(_ row: Int) -> Double { number(.population, row) }
    public func latitude(_ row: Int) -> Double { number(.latitude, row) }
    public func longitude(_ row: Int) -> Double { number(.longitude, row) }
    public func region(_ row: Int) -> String { string(.regionOffsets, .regionBytes, row) }
    public func status(_ row: Int) -> Availability? { Availability(rawValue: string(.statusOffsets, .statusBytes, row)) }
    public func nameVariants(_ row: Int) -> Int? {
        let v = number(.nameVariants, row)
        return v.isFinite && v >= 0 && v < 1e9 ? Int(v) : nil
    }

    /// The whole profile of `row`, decoded from its JSON once and then cached.
    public func profile(_ row: Int) -> CityProfile {
        if let p = cache.withLock({ $0[row] }) { return p }
        let json = string(.profileOffsets, .profileBytes, row)
        // The index was written from validated profiles; a damaged row (or one whose place lies outside the
        // ranges the columns were checked against) degrades to its columns.
        let p = (try? JSONDecoder().decode(CityProfile.self, from: Data(json.utf8))).flatMap { $0.hasValidPlace ? $0 : nil }
            ?? CityProfile(id: id(row), name: name(row), country: country(row), latitude: latitude(row), longitude: longitude(row), population: population(row))
        cache.withLock { $0[row] = p }
        return p
    }

    /// The row of `id` by binary search over the rows in id order.
    public func row(ofId id: String) -> Int? {
        let orderOffset = sections[Section.idOrder.rawValue].offset
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            guard let r = file.load(UInt32.self, at: orderOffset + 4 * mid) else { return nil }
            let midId = self.id(Int(r))
            if midId == id { return Int(r) }
            if idPrecedes(midId, id) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    // MARK: Writing

    /// Writes the checksum of the index file at `path` into its header (`write` does; a test or a fuzz target
    /// that damages an index on purpose re-signs it to reach the checks behind the checksum).
    public static func sign(_ path: String) throws {
        let checksum: UInt64
        do {
            let file = try MappedFile(path: path)
            guard file.length >= checksumRange.upperBound else { throw InputError(file: path, "not a valid TwinMatch index: truncated or damaged header") }
            checksum = Checksum.tree(of: file, skipping: checksumRange)
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw InputError.uncreatable(path, errno: errno) }
        defer { try? handle.close() }
        var bytes = Data()
        bytes.appendLittleEndian(checksum)
        try handle.seek(toOffset: UInt64(checksumRange.lowerBound))
        try handle.write(contentsOf: bytes)
    }

    /// Writes the index of `corpus` to `path`, atomically.
    public static func write(_ corpus: Corpus, to path: String) throws {
        let set = corpus.profiles, schema = corpus.schema, stored = corpus.stored
        let n = set.count
        // Partner lists are stored symmetric, so that a query's own list answers "are these partners?".
        var profiles = Array(set.profiles)
        var rowById: [String: Int] = [:]
        for (row, p) in profiles.enumerated() { rowById[p.id] = row }
        for row in profiles.indices {
            for partner in profiles[row].partners {
                if let other = rowById[partner], !profiles[other].partners.contains(profiles[row].id) { profiles[other].partners.append(profiles[row].id) }
            }
        }
        var sectionData: [Data] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func strings(_ values: [String]) -> (Data, Data) {
            var offsets = Data(capacity: 8 * (n + 1)), bytes = Data()
            var at: UInt64 = 0
            for v in values {
                offsets.appendLittleEndian(at)
                bytes.append(contentsOf: Array(v.utf8))
                at += UInt64(v.utf8.count)
            }
            offsets.appendLittleEndian(at)
            return (offsets, bytes)
        }
        func doubles(_ values: [Double]) -> Data {
            var d = Data(capacity: 8 * values.count)
            for v in values { d.appendLittleEndian(v.bitPattern) }
            return d
        }
        func int32s<T: FixedWidthInteger>(_ values: [T]) -> Data {
            var d = Data(capacity: 4 * values.count)
            for v in values { d.appendLittleEndian(UInt32(truncatingIfNeeded: v)) }
            return d
        }
        sectionData.append(try encoder.encode(schema))
        let ids = strings(profiles.map(\.id)); sectionData += [ids.0, ids.1]
        let names = strings(profiles.map(\.name)); sectionData += [names.0, names.1]
        let countries = strings(profiles.map(\.country)); sectionData += [countries.0, countries.1]
        sectionData.append(doubles(profiles.map(\.population)))
        sectionData.append(doubles(profiles.map(\.latitude)))
        sectionData.append(doubles(profiles.map(\.longitude)))
        let json = strings(try profiles.map { String(decoding: try encoder.encode($0), as: UTF8.self) }); sectionData += [json.0, json.1]
        let order = profiles.indices.sorted { idPrecedes(profiles[$0].id, profiles[$1].id) }
        sectionData.append(int32s(order))
        sectionData.append(int32s(set.idRank))
        let groups = corpus.pairGroups
        sectionData.append(int32s(groups.country))
        sectionData.append(int32s(groups.linkStart))
        sectionData.append(int32s(groups.linkCountry))
        sectionData.append(int32s(groups.linkWeight.map(\.bitPattern)))
        let regions = strings(profiles.map(\.region)); sectionData += [regions.0, regions.1]
        sectionData.append(doubles(profiles.map { $0.nameVariants.map(Double.init) ?? .nan }))
        sectionData.append(int32s(corpus.listedPairs.flatMap { [$0.0, $0.1] }))
        sectionData.append(try encoder.encode(groups.countryMigration))
        sectionData.append(try encoder.encode(corpus.memberships.networks))
        sectionData.append(int32s(corpus.memberships.rowStart))
        sectionData.append(int32s(corpus.memberships.rowNetworks))
        let keys = IndexNameTable.sections(profiles); sectionData += [keys.offsets, keys.bytes, keys.rows]
        let status = strings(profiles.map { $0.status?.rawValue ?? "" }); sectionData += [status.0, status.1]
        sectionData.append(Data()) // the matrix, streamed below
        precondition(sectionData.count == Section.allCases.count)

        let temp = AtomicFile.temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temp, contents: nil), let handle = FileHandle(forWritingAtPath: temp) else {
            throw InputError.uncreatable(path, errno: errno)
        }
        do {
            let headerSize = CityIndex.checksumRange.upperBound
            var offsets: [(Int, Int)] = []
            var at = (headerSize + 63) / 64 * 64
            for (i, d) in sectionData.enumerated() {
                let length = i == Section.matrix.rawValue ? 4 * n * schema.dimension : d.count
                offsets.append((at, length))
                at = (at + length + 63) / 64 * 64
            }
            var header = Data(CityIndex.magic)
            header.appendLittleEndian(CityIndex.formatVersion)
            header.appendLittleEndian(UInt32(sectionData.count))
            header.appendLittleEndian(UInt64(n))
            header.appendLittleEndian(UInt64(schema.dimension))
            for (o, l) in offsets {
                header.appendLittleEndian(UInt64(o))
                header.appendLittleEndian(UInt64(l))
            }
            var written = 0
            func put(_ d: Data) throws { try handle.write(contentsOf: d); written += d.count }
            try put(header)
            for (i, d) in sectionData.enumerated() {
                try put(Data(count: offsets[i].0 - written))
                if i == Section.matrix.rawValue {
                    // Row chunks of the matrix, so the whole thing is never copied at once.
                    var r = 0
                    while r < n {
                        let e = min(n, r + 16384)
                        try put(stored.rowsData(r..<e))
                        r = e
                    }
                } else {
                    try put(d)
                }
            }
            try handle.close()
            try sign(temp)
            try AtomicFile.commit(temporary: temp, to: path)
        } catch {
            try? handle.close()
            unlink(temp)
            if error is InputError { throw error }
            throw InputError(file: path, "cannot write the index: \(error.localizedDescription)")
        }
    }
}
