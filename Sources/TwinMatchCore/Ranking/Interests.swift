import Foundation

/// What the querying city states it wants, without editing any profile: themes it seeks (know-how to learn)
/// and themes it offers (know-how to share). A candidate's fit, in [0, 1], is the mean over the stated
/// themes of:
///
/// - a sought theme: 1 if the candidate offers it, 0.75 if it works on it (one of its themes), else 0;
/// - an offered theme: 1 if the candidate seeks it, 0.5 if it works on it (a peer), else 0.
///
/// The ranking adds `weight × fit` to every candidate's raw score (`Ranker.interestWeight`), reported as
/// the `interests` contribution, so a candidate that meets every stated interest rises by the span between
/// a typical city's weaker and stronger best candidates. The fit reads the stored vectors' theme and
/// offers/seeks columns, so it costs one pass over the candidates.
public struct Interests: Sendable, Equatable {
    public private(set) var seeks: [String] = []
    public private(set) var offers: [String] = []

    /// The name of the contribution the fit is reported as.
    public static let term = "interests"

    public init() {}

    /// Interests from what a person writes: themes by name or alias; an unknown one is an `OptionError`.
    public init(seeks: [String], offers: [String]) throws {
        func canonical(_ option: String, _ list: [String]) throws -> [String] {
            try list.map { t in
                guard let c = ThemeVocabulary.canonical(t) else {
                    throw OptionError(option, "unknown theme '\(t)'; closest known: \(ThemeVocabulary.closest(to: t).joined(separator: ", "))")
                }
                return c
            }
        }
        self.seeks = Array(Set(try canonical("--seeks", seeks))).sorted()
        self.offers = Array(Set(try canonical("--offers", offers))).sorted()
    }

    public var isEmpty: Bool { seeks.isEmpty && offers.isEmpty }

    /// The stored-vector columns of each stated theme: (theme column, offers column, seeks column).
    func columns(_ schema: FeatureSchema) -> (seeks: [(Int, Int, Int)], offers: [(Int, Int, Int)]) {
        let ranges = schema.ranges
        let themes = ranges[.themes]?.lowerBound ?? 0, complement = ranges[.complementarity]?.lowerBound ?? 0, n = schema.themes.count
        func cols(_ t: String) -> (Int, Int, Int)? {
            schema.themes.firstIndex(of: t).map { (themes + $0, complement + $0, complement + n + $0) }
        }
        return (seeks.compactMap(cols), offers.compactMap(cols))
    }

    /// The fit of candidate row `c`.
    public func fit(_ c: Int, in corpus: Corpus) -> Double { fit(c, corpus.stored, columns(corpus.schema)) }

    func fit(_ c: Int, _ x: FloatMatrix, _ cols: (seeks: [(Int, Int, Int)], offers: [(Int, Int, Int)])) -> Double {
        let stated = seeks.count + offers.count
        guard stated > 0 else { return 0 }
        let (s, o) = cols
        var sum = 0.0
        for (theme, offered, _) in s { sum += x[c, offered] > 0 ? 1 : x[c, theme] > 0 ? 0.75 : 0 }
        for (theme, _, sought) in o { sum += x[c, sought] > 0 ? 1 : x[c, theme] > 0 ? 0.5 : 0 }
        return sum / Double(stated)
    }

    /// `weight × fit` of every row (nil without stated interests), as a search bias.
    public func boost(_ corpus: Corpus, weight: Double) -> [Float]? {
        guard !isEmpty else { return nil }
        let cols = columns(corpus.schema), x = corpus.stored
        return parallelMap(corpus.count) { Float(weight * fit($0, x, cols)) }
    }

    /// What candidate `c` brings to the stated interests, in words.
    public func facts(_ c: Int, in corpus: Corpus, queryName: String) -> [String] {
        let p = corpus.profiles.profiles[c]
        let themes = Set(p.themes.map(\.key))
        var out: [String] = []
        for t in seeks {
            if p.offers.contains(t) { out.append("offers \(t), which \(queryName) seeks") }
            else if themes.contains(t) { out.append("works on \(t), which \(queryName) seeks") }
        }
        for t in offers {
            if p.seeks.contains(t) { out.append("seeks \(t), which \(queryName) offers") }
            else if themes.contains(t) { out.append("works on \(t) too, which \(queryName) offers") }
        }
        return out.isEmpty ? ["none of the stated interests (\((seeks + offers).joined(separator: ", ")))"] : out
    }
}
