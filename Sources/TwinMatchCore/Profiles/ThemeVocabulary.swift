import Foundation

/// The controlled vocabulary of co-operation themes, with the aliases people write for them.
///
/// Canonical themes are lowercase-hyphenated. `canonical(_:)` maps an alias or a spelling variant
/// (case, spaces, underscores) to its theme; an unknown theme is reported with the closest known ones.
public enum ThemeVocabulary {
    /// The canonical themes, in a fixed order.
    public static let themes: [String] = [
        "circular-economy", "energy-transition", "climate-adaptation", "environment", "youth", "education",
        "culture-heritage", "creative-industries", "tourism", "migration-integration", "intercultural-dialogue",
        "digitalisation", "mobility", "economic-development", "social-inclusion", "health", "agriculture-food",
        "sport", "democracy-participation", "gender-equality",
    ]

    /// Aliases → canonical theme.
    public static let aliases: [String: String] = [
        "circular": "circular-economy", "recycling": "circular-economy", "waste": "circular-economy",
        "zero-waste": "circular-economy", "reuse": "circular-economy",
        "energy": "energy-transition", "renewables": "energy-transition", "renewable-energy": "energy-transition",
        "energy-efficiency": "energy-transition", "solar": "energy-transition", "wind": "energy-transition",
        "climate": "climate-adaptation", "climate-change": "climate-adaptation", "resilience": "climate-adaptation",
        "climate-action": "climate-adaptation", "adaptation": "climate-adaptation",
        "ecology": "environment", "biodiversity": "environment", "green": "environment", "nature": "environment",
        "water": "environment", "young-people": "youth", "children": "youth", "youth-exchange": "youth",
        "schools": "education", "school": "education", "university": "education", "learning": "education",
        "research": "education", "culture": "culture-heritage", "heritage": "culture-heritage", "arts": "culture-heritage",
        "art": "culture-heritage", "museums": "culture-heritage", "history": "culture-heritage",
        "creative": "creative-industries", "design": "creative-industries", "film": "creative-industries",
        "music": "creative-industries", "media": "creative-industries", "crafts": "creative-industries",
        "literature": "creative-industries", "gastronomy": "agriculture-food", "tourist": "tourism",
        "visitors": "tourism", "migration": "migration-integration", "integration": "migration-integration",
        "refugees": "migration-integration", "diaspora": "migration-integration", "migrants": "migration-integration",
        "intercultural": "intercultural-dialogue", "diversity": "intercultural-dialogue",
        "interculturalism": "intercultural-dialogue", "multiculturalism": "intercultural-dialogue",
        "dialogue": "intercultural-dialogue", "digital": "digitalisation", "digitalization": "digitalisation",
        "smart-city": "digitalisation", "e-government": "digitalisation", "ict": "digitalisation",
        "transport": "mobility", "cycling": "mobility", "public-transport": "mobility",
        "economy": "economic-development", "trade": "economic-development", "business": "economic-development",
        "jobs": "economic-development", "employment": "economic-development", "innovation": "economic-development",
        "inclusion": "social-inclusion", "poverty": "social-inclusion", "housing": "social-inclusion",
        "social": "social-inclusion", "welfare": "social-inclusion", "elderly": "social-inclusion",
        "healthcare": "health", "public-health": "health", "agriculture": "agriculture-food", "food": "agriculture-food",
        "farming": "agriculture-food", "rural": "agriculture-food", "sports": "sport", "democracy": "democracy-participation",
        "participation": "democracy-participation", "citizenship": "democracy-participation",
        "governance": "democracy-participation", "civil-society": "democracy-participation",
        "gender": "gender-equality", "women": "gender-equality", "equality": "gender-equality",
    ]

    /// Lowercases, trims and hyphenates a theme as written.
    public static func normalise(_ raw: String) -> String {
        let lowered = trimSpaces(raw).lowercased()
        var out = ""
        var lastHyphen = false
        for ch in lowered {
            if ch == " " || ch == "_" || ch == "-" || ch == "/" {
                if !lastHyphen && !out.isEmpty { out.append("-"); lastHyphen = true }
            } else {
                out.append(ch)
                lastHyphen = false
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The canonical theme for `raw` (a theme or an alias), or nil when it is not in the vocabulary.
    public static func canonical(_ raw: String) -> String? {
        let key = normalise(raw)
        if themes.contains(key) { return key }
        return aliases[key]
    }

    /// Up to `count` known themes closest to `raw` by edit distance (themes and aliases, reported as themes).
    public static func closest(to raw: String, count: Int = 3) -> [String] {
        let key = normalise(raw)
        var scored: [(String, Int)] = []
        for theme in themes { scored.append((theme, editDistance(key, theme))) }
        for (alias, theme) in aliases { scored.append((theme, editDistance(key, alias))) }
        scored.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var out: [String] = []
        for (theme, _) in scored where !out.contains(theme) {
            out.append(theme)
            if out.count == count { break }
        }
        return out
    }
}

/// Levenshtein distance between two strings, by characters.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
