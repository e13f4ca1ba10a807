import Foundation
import TwinMatchCore

extension ProfileOptions {
    /// The corpus these options name and the row of the city `place` names in it.
    func load(_ place: CityOptions) throws -> (Corpus, Int) {
        let corpus = try load()
        return (corpus, try place.resolve(corpus.profiles))
    }
}
