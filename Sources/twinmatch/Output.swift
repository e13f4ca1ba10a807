import ArgumentParser
import Foundation
import TwinMatchCore

/// Writes command output: to standard output, or to a file that appears only when complete. `files` holds
/// the command's other outputs (a --report page, --ranks): a file output appears together with them, and
/// standard output is printed once they are in place.
func emit(_ text: String, to path: String?, with files: AtomicFileSet = AtomicFileSet()) throws {
    if let path { try files.write(Data(text.utf8), to: path) }
    try files.commit()
    if path == nil { FileHandle.standardOutput.write(Data(text.utf8)) }
}

/// Options of how a command writes its result: --format table|json|csv, --output FILE, --raw-csv.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?
    @Flag(help: "CSV: write text cells as they are. By default a cell that starts with =, +, -, @, a tab or a carriage return and is not a number gets a leading ' so that spreadsheets do not run it as a formula.")
    var rawCsv = false

    /// Writes the form --format asks for (only that one is rendered): `csv` gets whether cells stay raw;
    /// a table's control characters are shown as `?` (`terminalSafe`). The output appears together with
    /// the other `files` (`emit`).
    func write(json: () -> JSON, csv: (_ raw: Bool) -> String, table: () -> String, with files: AtomicFileSet = AtomicFileSet()) throws {
        switch format {
        case .json: try emit(json().render() + "\n", to: output, with: files)
        case .csv: try emit(csv(rawCsv), to: output, with: files)
        case .table: try emit(terminalSafe(table()), to: output, with: files)
        }
    }
}
