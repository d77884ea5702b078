import ArgumentParser
import Foundation
import SemanticCache
import Store
import Upstream

/// `semcache export --out FILE.jsonl`: every entry as one JSON line (``EntryExport``), which
/// `semcache prewarm` reads back as it was.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every entry as JSON lines; `semcache prewarm` restores them (backup, moving a warm cache).",
        discussion: """
            Each line holds an entry as stored: keys (with its partition), prompt, response, model, tokens, times, \
            hits and vector, never a credential. `semcache prewarm --db NEW.db FILE` or `--url` restores them: same \
            keys, same expiry, same hit counts; the vectors are kept when the embedder is the same and made again \
            from the prompts otherwise.
            """)

    @OptionGroup var source: AdminSource

    @Option(help: "The file to write (replaced when it exists); - writes to standard output.")
    var out: String

    func run() async throws {
        let toStandardOutput = out == "-"
        let file: FileHandle
        if toStandardOutput {
            file = .standardOutput
        } else {
            guard FileManager.default.createFile(atPath: out, contents: nil), let opened = FileHandle(forWritingAtPath: out) else {
                throw CommandFailure("cannot write \(out)")
            }
            file = opened
        }
        defer { if !toStandardOutput { try? file.close() } }
        var lines = 0
        if let path = source.db {
            let store = try await source.openReadOnly(path)
            let stored = try await store.setting(Partitioning.settingName).flatMap(Partitioning.init(rawValue:))
            let partitioning = stored ?? .perKey
            var lastID: Int64 = 0
            while true {
                let page = try await store.entries(afterID: lastID, limit: EntryExport.pageSize)
                guard let last = page.last else { break }
                file.write(Data(page.flatMap { EntryExport.line($0, partitioning: partitioning) }))
                lines += page.count
                lastID = last.id
            }
        } else {
            lines = try await source.client.download("/_semcache/export", to: file)
        }
        let summary = "exported \(lines) \(lines == 1 ? "entry" : "entries")" + (toStandardOutput ? "\n" : " to \(out)\n")
        // With --out -, standard output is the data: the count goes to standard error.
        (toStandardOutput ? FileHandle.standardError : FileHandle.standardOutput).write(Data(summary.utf8))
    }
}

extension AdminClient {
    /// Streams the body of `GET path` into `file`; returns the number of lines written.
    func download(_ path: String, to file: FileHandle) async throws -> Int {
        let client = try UpstreamClient()
        defer { client.shutdown() }
        var headers: [(name: String, value: String)] = []
        if let token { headers.append((name: "authorization", value: "Bearer \(token)")) }
        var status = 0
        var lines = 0
        var errorBody: [UInt8] = []
        do {
            for try await event in client.send(UpstreamRequest(method: "GET", url: base + path, headers: headers, body: [])) {
                switch event {
                case .head(let code, _): status = code
                case .body(let bytes) where (200..<300).contains(status):
                    file.write(Data(bytes))
                    lines += bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                case .body(let bytes): errorBody += bytes
                }
            }
        } catch {
            throw CommandFailure("export from \(base) failed: \(error)")
        }
        guard (200..<300).contains(status) else {
            let message = (try? JSONValue.parse(errorBody))?["error"]?["message"]?.string ?? String(decoding: errorBody, as: UTF8.self)
            throw CommandFailure("the sidecar answered \(status): \(message)")
        }
        return lines
    }
}
