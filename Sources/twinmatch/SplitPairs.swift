import ArgumentParser
import Foundation
import TwinMatchCore

struct SplitPairs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split-pairs",
        abstract: "Split known partnerships into training and test files (seeded, reproducible).",
        discussion: "Example: twinmatch split-pairs --pairs datasets/reference/twin_pairs.csv --train train.csv --test test.csv")

    @Option(help: "The partnerships to split (CSV with geonameid_a,geonameid_b).") var pairs: String
    @Option(help: "Fraction of pairs for the test file (default 0.2).") var testFraction: Double?
    @Option(help: "Cross-validation: cut the shuffled pairs into this many equal parts; --fold chooses the test part.") var folds: Int?
    @Option(help: "With --folds: which part (from 0) is the test file; fold 0 of 5 is the default 20 % split.") var fold: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 20261122
    @Option(help: "Write the training pairs here.") var train: String
    @Option(help: "Write the test pairs here.") var test: String

    func validate() throws {
        if let testFraction, !(testFraction > 0 && testFraction < 1) { throw ValidationError("--test-fraction must be between 0 and 1") }
        if URL(fileURLWithPath: train).standardizedFileURL.path == URL(fileURLWithPath: test).standardizedFileURL.path {
            throw ValidationError("--train and --test are the same file (\(train)): give two paths")
        }
        if (folds == nil) != (fold == nil) { throw ValidationError("--folds and --fold go together") }
        if let folds, let fold {
            if testFraction != nil { throw ValidationError("--test-fraction and --folds exclude each other") }
            if folds < 2 { throw ValidationError("--folds must be at least 2") }
            if !(0..<folds).contains(fold) { throw ValidationError("--fold must be from 0 to \(folds - 1)") }
        }
    }

    func run() throws {
        let split = try PairSplit(path: pairs, seed: seed)
        let testRows = if let folds, let fold { split.testRows(folds: folds, fold: fold) } else { split.testRows(fraction: testFraction ?? 0.2) }
        let parts = split.parts(test: testRows)
        // Both files appear together, once both are written.
        let files = AtomicFileSet()
        try files.write(split.csv(parts.test), to: test)
        try files.write(split.csv(parts.train), to: train)
        try files.commit()
        note("\(parts.train.count) training pairs → \(train), \(parts.test.count) test pairs → \(test) (seed \(seed))")
    }
}
