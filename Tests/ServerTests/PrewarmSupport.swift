import Foundation
import SemanticCache
import Store
import Testing

/// Fixtures, runs and live checks shared by the prewarm end-to-end tests.
enum Prewarm {
    /// The API key ``Harness/post(_:json:headers:)`` sends: entries prewarmed for it answer the harness's requests.
    static let apiKey = "sk-test-key"

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/prewarm")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Every record of `files`, read as `format`.
    static func records(_ files: [String], format: PrewarmFormat? = nil) throws -> [PrewarmRecord] {
        var reader = try PrewarmReader(inputs: files.map { .file(fixture($0)) }, format: format)
        var records: [PrewarmRecord] = []
        while let item = try reader.next() {
            if case .record(let record) = item { records.append(record) }
        }
        return records
    }

    static func options(dryRun: Bool = false) -> PrewarmIngestOptions {
        PrewarmIngestOptions(partition: PrewarmPartition(apiKey: apiKey), dryRun: dryRun)
    }

    /// Runs a whole prewarm of `inputs` into `pipeline`, as the CLI's `--db` mode does (`--replay` when `replaying` is given).
    static func run(
        _ inputs: [PrewarmInput], format: PrewarmFormat? = nil, into pipeline: CachePipeline, batchSize: Int = 256,
        replaying: PrewarmReplay? = nil, shouldStop: () -> Bool = { false }
    ) async throws -> PrewarmRunResult {
        let reader = try PrewarmReader(inputs: inputs, format: format)
        var runner = PrewarmRunner(
            reader: reader, sink: PipelinePrewarmSink(pipeline: pipeline, options: options(), replaying: replaying),
            settings: PrewarmSettings(batchSize: batchSize, replay: replaying != nil))
        return await runner.run(shouldStop: shouldStop)
    }

    /// Sends `record`'s request to the sidecar as its SDK would, with ``apiKey``.
    static func ask(_ harness: Harness, _ record: PrewarmRecord, headers: [(String, String)] = []) async throws -> Harness.Response {
        let credential = PrewarmPartition.credentialHeaders(apiKey: apiKey, for: record.endpoint).map { ($0.name, $0.value) }
        return try await harness.request(
            "POST", record.endpoint.path, headers: [("content-type", "application/json")] + credential + headers,
            body: record.request.compactBytes)
    }

    /// `count` distinct chat records with answers, as `pairs` lines.
    static func pairsLines(_ count: Int, prefix: String = "Question") -> [UInt8] {
        var text = ""
        for number in 1...count {
            text += #"{"request":{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"\#(prefix) \#(number)?"}]},"response":{"id":"c\#(number)","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Answer \#(number)."},"finish_reason":"stop"}]}}"#
            text += "\n"
        }
        return Array(text.utf8)
    }

    /// Entries in the database file.
    static func storedCount(_ path: String) async throws -> Int {
        try await CacheStore.open(path: path).loadIndex().count
    }
}
