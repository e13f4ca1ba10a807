import ArgumentParser
import Foundation
import TwinMatchCore

@main
struct TwinMatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twinmatch",
        abstract: "Find partner cities: peers, complementary partners, migration links, modern topics.",
        version: versionText,
        subcommands: [Recommend.self, Explain.self, Partners.self, Report.self, ConsortiumCommand.self, ReviveCommand.self, Batch.self, Embed.self, Index.self, Bench.self, Dataset.self, Fit.self, Evaluate.self, SplitPairs.self, CrossValidate.self]
    )

    static var versionText: String {
        "twinmatch \(TwinMatchVersion.string)\nBLAS: \(BLASRuntime.summary)\nCPU: \(BLASRuntime.cpuModel())"
    }

    static func main() {
        BLASRuntime.ensureFastKernels()
        main(nil)
    }
}
