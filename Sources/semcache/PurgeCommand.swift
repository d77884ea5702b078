import ArgumentParser
import Foundation
import SemanticCache
import Store

/// `semcache purge`: deletes entries; on a running sidecar the exact and vector indexes drop them at once.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete entries by id, model, namespace or age, or all of them.",
        discussion: """
            With --url (default) the running sidecar deletes them from its store and its in-memory indexes at once. \
            --db deletes from the file directly; use it only when no sidecar runs on that file.
            """)

    @OptionGroup var source: AdminSource
    @OptionGroup var filter: EntryFilterOptions

    @Option(name: .customLong("id"), help: "An entry id (repeat for several).")
    var ids: [Int64] = []

    @Flag(help: "Delete every entry.")
    var all = false

    func validate() throws {
        let conditions = !ids.isEmpty || !filter.isEmpty
        if all, conditions { throw ValidationError("--all deletes everything; it cannot be combined with --id, --model, --namespace or --older-than") }
        if !all, !conditions { throw ValidationError("say what to purge: --id N, --model M, --namespace NS, --older-than 7d, or --all") }
    }

    func run() async throws {
        let deleted: [Int64]
        if let path = source.db {
            let option = try StoreOption(path)
            let store = try await option.openForWriting()
            var entryFilter = filter.filter(now: Date().timeIntervalSince1970)
            entryFilter.ids = ids.isEmpty ? nil : ids
            deleted = try await store.entryIDs(matching: entryFilter)
            try await store.delete(ids: deleted)
            if case .sqlite = option {
                FileHandle.standardError.write(Data("note: a sidecar running on \(path) keeps purged entries in its in-memory index until it restarts; purge a running sidecar with --url\n".utf8))
            }
        } else {
            var members: [(key: String, value: JSONValue)] = []
            if all { members.append((key: "all", value: .bool(true))) }
            if !ids.isEmpty { members.append((key: "ids", value: .array(ids.map { .number(JSONNumber(Int($0))) }))) }
            if let model = filter.model { members.append((key: "model", value: .string(model))) }
            if let namespace = filter.namespace { members.append((key: "namespace", value: .string(namespace))) }
            if let olderThan = filter.olderThan { members.append((key: "older_than", value: .string("\(olderThan.seconds)s"))) }
            let body = try await source.client.send("POST", "/_semcache/purge", body: JSONValue.object(members).compactBytes)
            deleted = (try JSONValue.parse(body)["ids"]?.array ?? []).compactMap { $0.int.map(Int64.init) }
        }
        let list = deleted.prefix(20).map(String.init).joined(separator: ", ") + (deleted.count > 20 ? ", …" : "")
        print(deleted.isEmpty ? "purged 0 entries" : "purged \(deleted.count) \(deleted.count == 1 ? "entry" : "entries") (\(list))")
    }
}
