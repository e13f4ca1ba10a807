import Foundation

/// XXH64 (Yann Collet's xxHash, 64-bit, seed 0), the content checksum of the zstd and LZ4 frame formats: a
/// fast non-cryptographic hash for catching damaged bytes, which runs at memory speed on one core.
public enum XXH64 {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F, p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63, p5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { hash($0) } }

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { x << r | x >> (64 - r) }
    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 { rotl(acc &+ input &* p2, 31) &* p1 }
    @inline(__always) static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 { (acc ^ round(0, v)) &* p1 &+ p4 }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return avalanche(p5) }
        @inline(__always) func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: (base + at).loadUnaligned(as: UInt64.self)) }
        @inline(__always) func u32(_ at: Int) -> UInt64 { UInt64(UInt32(littleEndian: (base + at).loadUnaligned(as: UInt32.self))) }
        var at = 0
        var h: UInt64
        if n >= 32 {
            var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4 = 0 &- p1
            while at + 32 <= n {
                v1 = round(v1, u64(at)); v2 = round(v2, u64(at + 8)); v3 = round(v3, u64(at + 16)); v4 = round(v4, u64(at + 24))
                at += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(merge(merge(merge(h, v1), v2), v3), v4)
        } else {
            h = p5
        }
        h &+= UInt64(n)
        while at + 8 <= n {
            h = rotl(h ^ round(0, u64(at)), 27) &* p1 &+ p4
            at += 8
        }
        if at + 4 <= n {
            h = rotl(h ^ u32(at) &* p1, 23) &* p2 &+ p3
            at += 4
        }
        while at < n {
            h = rotl(h ^ UInt64(base.load(fromByteOffset: at, as: UInt8.self)) &* p5, 11) &* p1
            at += 1
        }
        return avalanche(h)
    }

    @inline(__always) static func avalanche(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33; h &*= p2
        h ^= h >> 29; h &*= p3
        h ^= h >> 32
        return h
    }
}

extension MappedFile {
    /// The XXH64 of each of the byte ranges `pieces` of the file, hashed on all cores. Ranges outside the file
    /// are clipped to it.
    public func digests(of pieces: [Range<Int>]) -> [UInt64] {
        // Every page is about to be read: ask for all of them at once, so that a file not yet in the page cache
        // is read ahead in large requests instead of fault by fault.
        if length > 0 { _ = madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_WILLNEED) }
        return parallelMap(pieces.count) { i in
            let r = pieces[i].clamped(to: 0..<self.length)
            return XXH64.hash(UnsafeRawBufferPointer(start: self.base + r.lowerBound, count: r.count))
        }
    }
}
