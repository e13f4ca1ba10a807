import Foundation

/// The name-key table of an index: every key of every place (`nameEntries`), sorted by its UTF-8 bytes,
/// with the place's row (the high bit set for a key only an alternate name has). A lookup is a binary
/// search in the mapped file, so a name is found without building anything at open.
///
/// Sections: `nameKeyOffsets` (`u64 × (keys + 1)`), `nameKeyBytes` (UTF-8) and `nameKeyRows` (`u32 × keys`).
public struct IndexNameTable: NameLookup {
    let file: MappedFile
    let offsets: Int, bytes: (offset: Int, length: Int), rowsAt: Int
    /// How many keys the table holds.
    public let keyCount: Int
    /// Rows of the index (hits beyond are ignored: a damaged table cannot point outside).
    let rowCount: Int

    static let alternateBit: UInt32 = 1 << 31

    /// The three sections for `profiles`, in table order.
    static func sections(_ profiles: [CityProfile]) -> (offsets: Data, bytes: Data, rows: Data) {
        var entries: [(key: [UInt8], row: UInt32)] = []
        for (row, p) in profiles.enumerated() {
            for e in nameEntries(name: p.name, alternateNames: p.alternateNames) {
                entries.append((Array(e.key.utf8), UInt32(row) | (e.alternate ? alternateBit : 0)))
            }
        }
        entries.sort { $0.key != $1.key ? $0.key.lexicographicallyPrecedes($1.key) : $0.row < $1.row }
        var offsets = Data(capacity: 8 * (entries.count + 1)), bytes = Data(), rows = Data(capacity: 4 * entries.count)
        var at: UInt64 = 0
        for e in entries {
            offsets.appendLittleEndian(at)
            bytes.append(contentsOf: e.key)
            at += UInt64(e.key.count)
            rows.appendLittleEndian(e.row)
        }
        offsets.appendLittleEndian(at)
        return (offsets, bytes, rows)
    }

    /// The key at position `i` of the sorted table (nil when the table is damaged there).
    func keyBytes(_ i: Int) -> [UInt8]? {
        guard let start = file.load(UInt64.self, at: offsets + 8 * i), let end = file.load(UInt64.self, at: offsets + 8 * i + 8),
              start <= end, end <= UInt64(bytes.length) else { return nil }
        return file.bytes(at: bytes.offset + Int(start), count: Int(end - start))
    }

    public func hits(forKey key: String) -> [NameHit] {
        let target = Array(key.utf8)
        var out: [NameHit] = []
        var i = firstPosition(notBefore: target)
        while i < keyCount, let k = keyBytes(i), k == target {
            if let hit = hit(at: i) { out.append(hit) }
            i += 1
        }
        return out
    }

    public func forEachHit(withPrefix prefix: String, _ body: (NameHit, _ whole: Bool) -> Void) {
        let target = Array(prefix.utf8)
        var i = firstPosition(notBefore: target)
        while i < keyCount, let k = keyBytes(i), k.starts(with: target) {
            if let hit = hit(at: i) { body(hit, k.count == target.count) }
            i += 1
        }
    }

    /// The first position whose key does not sort before `target` (`keyCount` when none; 0 when damaged).
    func firstPosition(notBefore target: [UInt8]) -> Int {
        var lo = 0, hi = keyCount
        while lo < hi {
            let mid = (lo + hi) / 2
            guard let k = keyBytes(mid) else { return keyCount }
            if k.lexicographicallyPrecedes(target) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The place the key at position `i` leads to (nil when the table points outside the index).
    func hit(at i: Int) -> NameHit? {
        guard let raw = file.load(UInt32.self, at: rowsAt + 4 * i) else { return nil }
        let row = Int(raw & ~Self.alternateBit)
        return row < rowCount ? NameHit(row: row, alternate: raw & Self.alternateBit != 0) : nil
    }
}
