import Foundation
import TwinMatchCore
import FuzzSupport

/// Six places in three countries, two of them partners, built once: what a model ranks here.
let corpus: Corpus = {
    let places = [("1", "Annecy", "FR", 45.9, 6.1, 49_232.0), ("2", "Bayreuth", "DE", 49.9, 11.6, 72_940), ("3", "Cuneo", "IT", 44.4, 7.5, 56_000),
                  ("4", "Lyon", "FR", 45.8, 4.8, 513_275), ("5", "Bonn", "DE", 50.7, 7.1, 327_258), ("6", "Vuadens", "CH", 46.6, 7.0, 1_835)]
    let profiles = places.map { id, name, country, lat, lon, population in
        CityProfile(id: id, name: name, country: country, latitude: lat, longitude: lon, population: population, languages: ["fr"],
                    themes: [Weighted("tourism", 1)], partners: id == "1" ? ["2"] : id == "2" ? ["1"] : [])
    }
    return Corpus(profiles: ProfileSet(profiles: profiles, source: "fuzz"))
}()

/// The model loader; a model it accepts is asked for every tier's weights and offset, ranks the places above
/// for a place with a partner and one without, and its shortlists are printed as `recommend --model` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzInput.write(data, size, name: "model.json")
    expectDataError(path) {
        let model = try TwinModel.load(path: path)
        for partners in [0, 1, 3, 10, 1000] {
            let tier = model.tier(partners: partners)
            _ = (model.weights(tier: tier), model.centres(tier: tier), model.offset(tier: tier))
        }
        let context = TermContext(corpus: corpus, graph: corpus.partnerships(), reference: model.reference)
        let ranker = ModelRanker(context: context, model: model)
        var filter = CandidateFilter()
        filter.excludeSameCountry = false
        for query in [0, 5] { printShortlist(ranker.shortlist(query, limit: 3, filter: filter), of: corpus.profiles) }
    }
    return 0
}

@_cdecl("FuzzModel_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzModel(data!, size) }
}
