import SemanticCache

/// `POST /_semcache/prewarm[?format=auto|semcache|pairs|openai-batch|har][&dry_run=1]`: stores the
/// records of a log sent as the body into this sidecar's cache, through the same ingest as
/// `semcache prewarm --db`; the live indexes have the entries as soon as the answer is sent.
///
/// Headers: `X-Semcache-Partition-Key` — the raw API key of the callers who should get hits
/// (hashed at once exactly like live traffic's credential; never stored or logged); without it,
/// entries match callers that send no key, unless the sidecar runs with `--shared-cache`.
/// `X-Semcache-Namespace` and `X-Semcache-TTL` as on live requests.
///
/// Records without an answer are skipped (`no answer`): `semcache prewarm --url` replays them
/// through the sidecar instead. The answer is a JSON summary with every skipped record's line.
struct PrewarmEndpoint: Sendable {
    static let path = "/_semcache/prewarm"
    static let partitionKeyHeader = "x-semcache-partition-key"
    /// Skipped records listed in the answer, at most.
    static let issueListLimit = 1000
    let pipeline: CachePipeline

    func respond(to request: IncomingRequest) async -> CompleteResponse {
        let limit = pipeline.configuration.maxRequestBodyBytes
        guard request.body.count <= limit else {
            return .error(status: 413, type: "request_too_large", message: "a prewarm body may hold at most \(limit) bytes (--max-body-bytes); split the file, or use `semcache prewarm --url`, which sends it in parts")
        }
        let query = QueryString(uri: request.uri)
        let formatName = query["format"] ?? "auto"
        var format: PrewarmFormat?
        if formatName != "auto" {
            guard let named = PrewarmFormat(rawValue: formatName) else {
                return .error(status: 400, type: "invalid_request", message: "format must be auto, \(PrewarmFormat.allCases.map(\.rawValue).joined(separator: ", ")); got \(formatName)")
            }
            format = named
        }
        let directives: RequestDirectives
        do {
            directives = try RequestDirectives(headers: request.headers.map { ($0.name, $0.value) })
        } catch {
            return .error(status: 400, type: "invalid_semcache_header", message: "\(error)")
        }
        let partition = PrewarmPartition(namespace: directives.namespace ?? "", apiKey: request.headers.first(named: Self.partitionKeyHeader))
        let dryRun = ["1", "true"].contains(query["dry_run"] ?? "")
        let options = PrewarmIngestOptions(partition: partition, ttl: directives.ttl.map { .seconds($0) }, dryRun: dryRun)
        let reader: PrewarmReader
        do {
            reader = try PrewarmReader(inputs: [.bytes(request.body, name: "body")], format: format)
        } catch {
            return .error(status: 400, type: "invalid_request", message: "\(error)")
        }
        var runner = PrewarmRunner(reader: reader, sink: PipelinePrewarmSink(pipeline: pipeline, options: options, replaying: nil), settings: PrewarmSettings())
        var issues: [PrewarmIssue] = []
        let result = await runner.run(onIssue: { issue in
            if issues.count < Self.issueListLimit { issues.append(issue) }
        })
        if case .failed(let message) = result.end {
            return .error(status: 503, type: "prewarm_failed", message: "\(message) (\(result.summary.stored) records were stored before)")
        }
        // Reading reports bad lines at once, ingesting after each batch: list them in file order.
        issues.sort { ($0.source.line ?? 0, $0.source.entry ?? 0) < ($1.source.line ?? 0, $1.source.entry ?? 0) }
        let body = Self.json(result.summary, issues: issues, dryRun: dryRun)
        return CompleteResponse(status: 200, headers: [(name: "content-type", value: "application/json")], body: body.compactBytes)
    }

    /// `{"read", "stored", "duplicates", "skipped": {reason: count}, "ignored", "dry_run", "issues": [{"line", "entry", "kind", "reason"}]}`.
    static func json(_ summary: PrewarmSummary, issues: [PrewarmIssue], dryRun: Bool) -> JSONValue {
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        let skipped = PrewarmIssueKind.allCases.compactMap { kind in summary.skipped[kind].map { (key: kind.rawValue, value: number($0)) } }
        return .object([
            (key: "read", value: number(summary.read)),
            (key: "stored", value: number(summary.stored)),
            (key: "duplicates", value: number(summary.duplicates)),
            (key: "skipped", value: .object(skipped)),
            (key: "ignored", value: number(summary.ignored)),
            (key: "dry_run", value: .bool(dryRun)),
            (key: "issues", value: .array(issues.map { issue in
                .object([
                    (key: "line", value: issue.source.line.map(number) ?? .null),
                    (key: "entry", value: issue.source.entry.map(number) ?? .null),
                    (key: "kind", value: .string(issue.kind.rawValue)),
                    (key: "reason", value: .string(issue.reason)),
                ])
            })),
        ])
    }
}
