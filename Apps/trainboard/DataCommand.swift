import ArgumentParser
import Data
import Foundation

/// `trainboard data …`: look at data files.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect data files (IDX, CSV).",
        subcommands: [DataInspect.self])
}

/// `trainboard data inspect PATH`: what an IDX or CSV file holds (`DataInspection`), or
/// one line saying what is wrong with it.
struct DataInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the type, shape and value statistics of an IDX or CSV file (plain or gzip).",
        discussion: "IDX is recognised by its content (bytes 00 00) or an idx/ubyte name; anything else is read as CSV. "
            + "On a malformed file, prints one line to stderr and exits with status 1.")

    @Argument(help: "The IDX or CSV file.") var path: String
    @Option(help: "CSV label column (default: the last column).") var label: String?
    @Option(help: "CSV field delimiter: one character, or 'tab' (default: tab for .tsv files, else ',').")
    var delimiter: String?

    func validate() throws {
        if let delimiter, delimiter != "tab", delimiter.count != 1 {
            throw ValidationError("--delimiter must be one character or 'tab', got '\(delimiter)'")
        }
    }

    func run() throws {
        do {
            let separator: Character? = delimiter.map { $0 == "tab" ? "\t" : Character($0) }
            for line in try DataInspection.report(path: path, label: label, delimiter: separator) { print(line) }
        } catch {
            FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
