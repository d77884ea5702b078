import ArgumentParser
import Foundation
import SemanticCache
import Upstream

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Show the stored prompts nearest to a text, and whether the hit rule accepts each.")

    @Argument(help: "The text to look for.")
    var text: String

    @Option(help: "Only entries of this model.")
    var model: String?

    @Option(help: "How many results.")
    var limit = 5

    @OptionGroup var sidecar: SidecarConnection

    @Flag(help: "Print the sidecar's JSON answer.")
    var json = false

    func run() async throws {
        var query = "q=\(Self.encode(text))&limit=\(limit)"
        if let model { query += "&model=\(Self.encode(model))" }
        let body = try await sidecar.client.get("/_semcache/search?" + query)
        if json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let results = try JSONValue.parse(body)["results"]?.array ?? []
        guard !results.isEmpty else {
            print("no stored prompts to compare with")
            return
        }
        var table = TextTable(columns: ["#", "similarity", "hit rule", "hits", "age", "model", "prompt"])
        for (index, result) in results.enumerated() {
            let accepted = result["accepted"]?.bool == true
            table.add([
                String(index + 1),
                String(format: "%.4f", result["similarity"]?.double ?? 0),
                accepted ? "accept" : "reject: \(result["reason"]?.string ?? "")",
                String(result["hits"]?.int ?? 0),
                AgeFormat.short(seconds: result["age_seconds"]?.int ?? 0),
                result["model"]?.string ?? "-",
                TextTable.preview(result["prompt"]?.string ?? "", width: 60),
            ])
        }
        print(table.render())
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Talks to a running sidecar's admin API.
struct AdminClient {
    let base: String
    let token: String?
    /// Whether the command can read the database file instead (`--db`), to suggest when no sidecar answers.
    let canReadFile: Bool

    init(url: String?, token: String?, canReadFile: Bool = false) {
        var base = url ?? Environment.value("SEMCACHE_URL") ?? "http://127.0.0.1:8080"
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.token = token ?? Environment.value("SEMCACHE_ADMIN_TOKEN")
        self.canReadFile = canReadFile
    }

    func get(_ path: String) async throws -> [UInt8] { try await send("GET", path) }

    func send(_ method: String, _ path: String, body: [UInt8] = []) async throws -> [UInt8] {
        let client = try UpstreamClient()
        defer { client.shutdown() }
        var headers: [(name: String, value: String)] = []
        if let token { headers.append((name: "authorization", value: "Bearer \(token)")) }
        if !body.isEmpty { headers.append((name: "content-type", value: "application/json")) }
        let response: (status: Int, headers: [(name: String, value: String)], body: [UInt8])
        do {
            response = try await client.fetch(UpstreamRequest(method: method, url: base + path, headers: headers, body: body))
        } catch let error as UpstreamError where error.kind == .invalidRequest {
            throw ValidationError("--url \(base) is not a URL semcache can send to: give one like http://127.0.0.1:8080")
        } catch {
            throw CommandFailure(noSidecar((error as? UpstreamError)?.isTimeout == true ? "it did not answer in time" : "nothing accepts connections there"))
        }
        guard (200..<300).contains(response.status) else {
            let message = (try? JSONValue.parse(response.body))?["error"]?["message"]?.string ?? String(decoding: response.body, as: UTF8.self)
            throw CommandFailure("the sidecar answered \(response.status): \(message)")
        }
        return response.body
    }

    /// The error when no sidecar answers at ``base``: what to do instead.
    private func noSidecar(_ reason: String) -> String {
        "no semcache sidecar answers at \(base) (\(reason)). Start one with `semcache serve`, or pass --url with the address of the running one"
            + (canReadFile ? ", or read the database file directly with --db PATH (e.g. --db semcache.db)." : ".")
    }
}
