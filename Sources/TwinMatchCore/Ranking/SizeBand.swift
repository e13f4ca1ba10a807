/// A city's size class, for lists and consortia that mix sizes (URBACT networks join small, medium and
/// large cities). The bounds follow the usual European split: a town under 50,000 people, a medium city
/// under 250,000, a large one above.
public enum SizeBand: String, CaseIterable, Sendable, Comparable {
    case small, medium, large

    public init(population: Double) {
        self = population < 50_000 ? .small : population < 250_000 ? .medium : .large
    }

    /// "small (under 50,000)", for output.
    public var label: String {
        switch self {
        case .small: return "small (under 50,000)"
        case .medium: return "medium (50,000–250,000)"
        case .large: return "large (250,000 and more)"
        }
    }

    var order: Int {
        switch self {
        case .small: return 0
        case .medium: return 1
        case .large: return 2
        }
    }

    public static func < (a: SizeBand, b: SizeBand) -> Bool { a.order < b.order }
}
