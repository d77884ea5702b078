import ArgumentParser
import SemanticCache
import Upstream

/// Prewarms a running sidecar (`semcache prewarm --url`): batches go to `POST /_semcache/prewarm`
/// as `pairs` lines (exported entries as `semcache-export` lines); records to replay are sent to the sidecar as ordinary requests, so it looks
/// them up, forwards them to its upstream and stores the answers like live traffic.
struct RemotePrewarmSink: PrewarmSink {
    /// Bytes of `pairs` lines per POST, well under the sidecar's default 10 MiB body limit.
    static let maxRequestBytes = 4 << 20
    let client: UpstreamClient
    let admin: AdminClient
    /// Raw API key for `X-Semcache-Partition-Key`; never printed.
    let apiKey: String?
    let namespace: String?
    let ttlSeconds: Int?
    let dryRun: Bool
    let replaying: PrewarmReplay?

    func ingest(_ records: [PrewarmRecord]) async throws -> PrewarmBatchResult {
        var result = PrewarmBatchResult()
        var lines: [(bytes: [UInt8], source: PrewarmSource)] = []
        for record in records {
            switch record.pairsLine() {
            case .failure(let issue): result.add(.skipped(issue))
            case .success(let line): lines.append((line, record.source))
            }
        }
        try await post(lines, format: .pairs, into: &result)
        return result
    }

    func restore(_ entries: [ExportedEntry]) async throws -> PrewarmBatchResult {
        var result = PrewarmBatchResult()
        let lines = entries.map { (bytes: $0.line, source: $0.source) }
        try await post(lines, format: .export, into: &result)
        return result
    }

    /// Sends `lines` in bodies of at most ``maxRequestBytes``.
    private func post(_ lines: [(bytes: [UInt8], source: PrewarmSource)], format: PrewarmFormat, into result: inout PrewarmBatchResult) async throws {
        var chunk: (body: [UInt8], sources: [PrewarmSource]) = ([], [])
        for line in lines {
            if !chunk.sources.isEmpty, chunk.body.count + line.bytes.count > Self.maxRequestBytes {
                try await post(chunk, format: format, into: &result)
                chunk = ([], [])
            }
            chunk.body += line.bytes
            chunk.sources.append(line.source)
        }
        if !chunk.sources.isEmpty { try await post(chunk, format: format, into: &result) }
    }

    private func post(_ chunk: (body: [UInt8], sources: [PrewarmSource]), format: PrewarmFormat, into result: inout PrewarmBatchResult) async throws {
        var headers: [(name: String, value: String)] = [(name: "content-type", value: "application/x-ndjson")]
        if let token = admin.token { headers.append((name: "authorization", value: "Bearer \(token)")) }
        if let apiKey { headers.append((name: "x-semcache-partition-key", value: apiKey)) }
        if let namespace { headers.append((name: "x-semcache-namespace", value: namespace)) }
        if let ttlSeconds { headers.append((name: "x-semcache-ttl", value: String(ttlSeconds))) }
        let url = admin.base + "/_semcache/prewarm?format=\(format.rawValue)" + (dryRun ? "&dry_run=1" : "")
        let response: (status: Int, headers: [(name: String, value: String)], body: [UInt8])
        do {
            response = try await client.fetch(UpstreamRequest(method: "POST", url: url, headers: headers, body: chunk.body))
        } catch {
            throw CommandFailure("cannot reach the sidecar at \(admin.base): \(error) (is `semcache serve` running?)")
        }
        let json = try? JSONValue.parse(response.body)
        guard response.status == 200, let json else {
            let message = json?["error"]?["message"]?.string ?? String(decoding: response.body.prefix(500), as: UTF8.self)
            throw CommandFailure("the sidecar answered \(response.status) to POST /_semcache/prewarm: \(message)")
        }
        result.stored += json["stored"]?.int ?? 0
        result.duplicates += json["duplicates"]?.int ?? 0
        for issue in json["issues"]?.array ?? [] {
            // Lines are numbered within the POSTed body: map them back to where the record was read.
            guard let line = issue["line"]?.int, chunk.sources.indices.contains(line - 1) else { continue }
            let kind = issue["kind"]?.string.flatMap(PrewarmIssueKind.init(rawValue:)) ?? .malformed
            result.issues.append(PrewarmIssue(source: chunk.sources[line - 1], kind: kind, reason: issue["reason"]?.string ?? ""))
        }
    }

    func replay(_ record: PrewarmRecord) async -> PrewarmOutcome {
        guard let replaying else {
            return .skipped(PrewarmIssue(source: record.source, kind: .noAnswer, reason: "not replayed: --replay was not given"))
        }
        let request = replaying.request(for: record)
        do {
            let response = try await client.fetch(UpstreamRequest(
                method: request.method, url: admin.base + request.uri, headers: request.headers, body: request.body))
            return PrewarmReplay.outcome(status: response.status, headers: response.headers, body: response.body, source: record.source)
        } catch {
            return .skipped(PrewarmIssue(source: record.source, kind: .failedAnswer, reason: "cannot reach the sidecar: \(error)"))
        }
    }
}
