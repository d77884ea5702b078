import ArgumentParser
import Foundation
import SemanticCache
import Store

/// `semcache entries`: the stored entries with their prompt, hits, age and size.
struct EntriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entries",
        abstract: "List stored entries: prompt preview, hits, age, size.")

    @OptionGroup var source: AdminSource
    @OptionGroup var filter: EntryFilterOptions

    @Option(help: "Order: newest or hits.")
    var order: EntryOrder = .newest

    @Option(help: "How many entries.")
    var limit = 20

    @Flag(help: "Print the JSON answer.")
    var json = false

    func run() async throws {
        let entries: [JSONValue]
        if let path = source.db {
            let store = try await source.openReadOnly(path)
            let now = Date().timeIntervalSince1970
            entries = try await store.entrySummaries(filter.filter(now: now), order: order, limit: limit)
                .map { StatsReport.entry($0, prices: .builtIn, now: now) }
        } else {
            var query = filter.query + ["order=\(order.rawValue)", "limit=\(limit)"]
            query.removeAll { $0.isEmpty }
            let body = try await source.client.get("/_semcache/entries?" + query.joined(separator: "&"))
            entries = try JSONValue.parse(body)["entries"]?.array ?? []
        }
        if json {
            print(JSONValue.object([(key: "entries", value: .array(entries))]).description)
        } else {
            print(entries.isEmpty ? "no entries" : EntriesText.render(entries))
        }
    }
}

extension EntryOrder: ExpressibleByArgument {}

/// `--model`, `--namespace`, `--older-than`, shared by `entries` and `purge`.
struct EntryFilterOptions: ParsableArguments {
    @Option(help: "Only entries of this model (exact name).")
    var model: String?

    @Option(help: "Only entries of this namespace (X-Semcache-Namespace).")
    var namespace: String?

    @Option(help: "Only entries older than this: 30m, 24h, 7d.")
    var olderThan: DurationArgument?

    var isEmpty: Bool { model == nil && namespace == nil && olderThan == nil }

    func filter(now: Double) -> EntryFilter {
        EntryFilter(model: model, namespace: namespace, createdBefore: olderThan.map { now - Double($0.seconds) })
    }

    /// As query parameters of `GET /_semcache/entries`.
    var query: [String] {
        [
            model.map { "model=\(SearchCommand.encode($0))" } ?? "",
            namespace.map { "namespace=\(SearchCommand.encode($0))" } ?? "",
            olderThan.map { "older_than=\($0.seconds)" } ?? "",
        ]
    }
}
