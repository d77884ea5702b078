import ArgumentParser
import Foundation
import SemanticCache

/// `semcache stats`: what the cache saved, from a running sidecar or straight from the file.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show hit rates, tokens, money and time saved, top models and entries, store size.")

    @OptionGroup var source: AdminSource

    @Option(help: "The window: a duration such as 1h, 24h, 7d, or all.")
    var since = "24h"

    @Option(help: "Price table for --db (a running sidecar uses its own): JSON as printed by `semcache prices`.")
    var prices: String?

    @Flag(help: "Print the JSON report.")
    var json = false

    func validate() throws {
        guard since == "all" || DurationText.seconds(since) != nil else {
            throw ValidationError("--since must be a duration such as 1h, 24h, 7d, or all; got \(since)")
        }
    }

    func run() async throws {
        let report: JSONValue
        if let path = source.db {
            let now = Date().timeIntervalSince1970
            let start = since == "all" ? 0 : Int64(now) - Int64(DurationText.seconds(since) ?? 0)
            let store = try await source.openReadOnly(path)
            report = try await StatsReport(since: start, label: since)
                .build(store: store, prices: try PriceTable.load(orBuiltIn: prices), recorder: nil, now: now)
        } else {
            report = try JSONValue.parse(try await source.client.get("/_semcache/stats?since=\(SearchCommand.encode(since))"))
        }
        print(json ? report.description : StatsText.render(report))
    }
}

/// `semcache prices`: prints the price table (built-in, or a file after validating it).
struct PricesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Print the price table (USD per 1M tokens) used for \"money saved\", to edit and pass with --prices.")

    @Option(help: "Validate and print this price file instead of the built-in table.")
    var prices: String?

    func run() throws {
        print(try PriceTable.load(orBuiltIn: prices).json.description)
    }
}
