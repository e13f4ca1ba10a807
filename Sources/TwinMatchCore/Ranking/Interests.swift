import Foundation

/// What the querying city states it wants, without editing any profile: themes it seeks (know-how to learn)
/// and themes it offers (know-how to share). They replace the city's own seeks and offers in the complement
/// fit (`Complement`), weighed as in the complement mode (`Blend.mode(_:statedInterests:)`).
public struct Interests: Sendable, Equatable {
    public private(set) var seeks: [String] = []
    public private(set) var offers: [String] = []

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
}
