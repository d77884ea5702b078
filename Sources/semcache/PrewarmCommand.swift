import ArgumentParser
import Foundation
import Logging
import SemanticCache
import Synchronization
import Upstream

struct PrewarmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prewarm",
        abstract: "Fill the cache from logs (semcache traffic logs, request/response pairs, OpenAI Batch files, HAR) or restore a `semcache export`.",
        discussion: """
            Every record goes through the same rules as live traffic (key, cacheability, what may be stored); running \
            the same file twice adds nothing. --db PATH writes into a database file directly (no sidecar running on it); \
            --url URL sends the records to a running sidecar, whose live index has them at once. Nothing is sent \
            upstream unless --replay is given: then every record is (through the sidecar with --url, to --upstream \
            with --db) and its fresh answer stored; without it, records without an answer are skipped.
            """)

    @Argument(help: "Log files to read. For openai-batch give the input and the output file.")
    var files: [String]

    @Option(help: "auto, semcache, pairs, openai-batch, har or semcache-export. auto detects each file's format and says what it chose.")
    var format = "auto"

    @Option(help: "Write into this store directly: a database file, or postgres://user@host:port/db (SEMCACHE_DB is deliberately not read: name it).")
    var db: String?

    /// `--url`: send the records to the sidecar running there (its `--admin-token`, if it has one).
    @OptionGroup var sidecar: SidecarConnection

    @Option(help: "Lifetime of the entries: seconds or 30m/24h/7d. Default: the sidecar's (--url), 7d (--db). Counted from now.")
    var ttl: DurationArgument?

    @Flag(help: "Read and judge every record, store nothing, send nothing upstream.")
    var dryRun = false

    @Option(help: "Name of the environment variable holding the API key of the callers who should get hits (entries are partitioned by key like live traffic). The key is also sent upstream on replay.")
    var apiKeyEnv: String?

    @Option(help: "X-Semcache-Namespace of the callers who should get hits.")
    var namespace: String?

    @Flag(help: "With --db: a new database for a sidecar run with --shared-cache (any API key hits the entries). An existing database's own mode is followed without it.")
    var sharedCache = false

    @Flag(help: "With --db: store nondeterministic requests too (temperature ≠ 0), as serve --cache-nondeterministic.")
    var cacheNondeterministic = false

    @Flag(help: "Send every record upstream (skipping the lookup) and store the fresh answer. Without it nothing reaches the upstream.")
    var replay = false

    @Option(help: "With --db --replay: where replayed records go, e.g. https://api.openai.com.")
    var upstream: String?

    @Option(help: "Replayed requests in flight at once.")
    var concurrency = 4

    @Option(help: "Replayed requests per second at most, e.g. 5 or 5/s. Default: no limit.")
    var rate: RateArgument?

    @Option(help: "Records per committed batch (and per embedder call).")
    var batchSize = 256

    @OptionGroup var embedderOptions: EmbedderOptions

    func validate() throws {
        guard (db == nil) != (sidecar.url == nil) else {
            throw ValidationError("say where to prewarm: --url http://127.0.0.1:8080 (a running sidecar) or --db semcache.db (a database file no sidecar is using)")
        }
        if format != "auto", PrewarmFormat(rawValue: format) == nil {
            throw ValidationError("--format must be auto, \(PrewarmFormat.allCases.map(\.rawValue).joined(separator: ", ")); got \(format)")
        }
        if sidecar.url != nil {
            for (flag, given) in [("--upstream", upstream != nil), ("--shared-cache", sharedCache), ("--cache-nondeterministic", cacheNondeterministic)] where given {
                throw ValidationError("\(flag) only applies with --db; with --url the sidecar's own settings (and upstream) are used")
            }
        }
        if db != nil, replay, upstream == nil {
            throw ValidationError("--replay with --db needs --upstream URL to send the records to")
        }
        if upstream != nil, !replay {
            throw ValidationError("--upstream is only used with --replay: without it nothing is sent upstream")
        }
        if let upstream, !(upstream.hasPrefix("http://") || upstream.hasPrefix("https://")) {
            throw ValidationError("--upstream must start with http:// or https://, got \(upstream)")
        }
        if let namespace {
            do { _ = try RequestDirectives(headers: [("X-Semcache-Namespace", namespace)]) } catch { throw ValidationError("--namespace: \(error)") }
        }
        guard concurrency >= 1, batchSize >= 1 else { throw ValidationError("--concurrency and --batch-size must be at least 1") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let apiKey = try apiKeyValue()
        var reader: PrewarmReader
        do {
            reader = try PrewarmReader(inputs: files.map(PrewarmInput.file), format: PrewarmFormat(rawValue: format))
        } catch {
            throw CommandFailure("\(error)")
        }
        for line in reader.detections { Self.write("format: \(line)\n") }

        let client = try UpstreamClient()
        defer { client.shutdown() }
        // The one switch that lets records reach the upstream.
        let replaying = replay && !dryRun ? PrewarmReplay(apiKey: apiKey, namespace: namespace, ttlSeconds: ttl?.seconds) : nil
        let sink: any PrewarmSink
        var pipeline: CachePipeline?
        if sidecar.url != nil {
            sink = RemotePrewarmSink(
                client: client, admin: sidecar.client, apiKey: apiKey, namespace: namespace,
                ttlSeconds: ttl?.seconds, dryRun: dryRun, replaying: replaying)
        } else {
            let local = try await openPipeline(client: client)
            pipeline = local
            Self.write("partitioning: \(local.configuration.sharedCache ? "shared between API keys" : "by API key") in \(local.configuration.databasePath)\n")
            let options = PrewarmIngestOptions(
                partition: PrewarmPartition(namespace: namespace ?? "", apiKey: apiKey), ttl: ttl.map { .seconds($0.seconds) }, dryRun: dryRun)
            sink = PipelinePrewarmSink(pipeline: local, options: options, replaying: replaying)
        }

        notePartition(apiKey: apiKey, shared: pipeline?.configuration.sharedCache ?? false)
        let stop = StopRequest()
        let signals = SignalWatcher { stop.request() }
        var runner = PrewarmRunner(
            reader: reader, sink: sink,
            settings: PrewarmSettings(batchSize: batchSize, replay: replaying != nil, concurrency: concurrency, ratePerSecond: rate?.perSecond))
        var progress = ProgressReporter(style: ProgressReporter.standardOutputStyle())
        let started = ContinuousClock.now
        let result = await runner.run(shouldStop: { stop.isRequested }, onProgress: { snapshot in
            if let text = progress.update(snapshot, elapsed: ContinuousClock.now - started) { Self.write(text) }
        })
        let elapsed = ContinuousClock.now - started
        Self.write(progress.finish(runner.progress, elapsed: elapsed))
        withExtendedLifetime(signals) {}
        await pipeline?.shutdown()

        if dryRun { Self.write("dry run: nothing was stored; \"stored\" counts the records that would be\n") }
        Self.write(result.summary.rendered(elapsed: elapsed))
        switch result.end {
        case .finished:
            return
        case .interrupted:
            Self.write("interrupted: stopped after committing the batch in progress; what was stored stays\n")
            throw ExitCode(130)
        case .failed(let message):
            Self.write("stopped: \(message)\n")
            throw ExitCode.failure
        }
    }

    private func apiKeyValue() throws -> String? {
        guard let apiKeyEnv else { return nil }
        guard let key = Environment.value(apiKeyEnv) else {
            throw CommandFailure("--api-key-env \(apiKeyEnv): that environment variable is not set or empty")
        }
        return key
    }

    /// Says whose cache the entries land in when that may not be what the user expects.
    private func notePartition(apiKey: String?, shared: Bool) {
        guard apiKey == nil, !shared else { return }
        let shared = sidecar.url == nil ? "--shared-cache for a new database" : "nothing, if the sidecar runs with --shared-cache"
        Self.note("no --api-key-env: entries will only answer requests sent without an API key (pass --api-key-env VAR, or \(shared))")
    }

    private func openPipeline(client: UpstreamClient) async throws -> CachePipeline {
        guard let db else { throw CommandFailure("--db is missing") }
        if FileManager.default.fileExists(atPath: db + "-wal") {
            Self.note("\(db)-wal exists: a running sidecar may have the file open; it will not see these entries until it restarts (use --url to prewarm it live)")
        }
        // The upstream is only used to replay (--replay --upstream); without it nothing is forwarded.
        var configuration = SidecarConfiguration(upstreamURL: upstream ?? "")
        try StoreOption(db).configure(&configuration, logger: Logger(label: "semcache"))
        if let ttl { configuration.defaultTTL = .seconds(ttl.seconds) }
        configuration.sharedCache = sharedCache
        configuration.followStoredPartitioning = !sharedCache
        configuration.cacheNondeterministic = cacheNondeterministic
        let (embedder, summary) = try await embedderOptions.makeEmbedder(client: client)
        configuration.embedder = embedder
        Self.write("embedder: \(summary)\n")
        do {
            return try await CachePipeline.start(configuration: configuration, logger: Logger(label: "semcache"), upstream: client)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a note to stderr after what stdout holds so far, so that on a shared terminal or
    /// file (`2>&1`) a note never lands inside a line of the summary.
    private static func note(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}

/// A replay rate: `5`, `5/s` or `0.5/s` requests per second.
struct RateArgument: ExpressibleByArgument {
    let perSecond: Double

    init?(argument: String) {
        var text = Substring(argument)
        if text.hasSuffix("/s") { text = text.dropLast(2) }
        guard let value = Double(text), value > 0, value.isFinite else { return nil }
        perSecond = value
    }
}

/// Set by the first SIGINT/SIGTERM: the run stops after the batch in progress. A second one exits at once.
final class StopRequest: Sendable {
    private let count = Atomic<Int>(0)

    func request() {
        if count.add(1, ordering: .relaxed).oldValue == 0 {
            FileHandle.standardError.write(Data("\nstopping after the batch in progress (Ctrl-C again to quit at once)\n".utf8))
        } else {
            exit(130)
        }
    }

    var isRequested: Bool { count.load(ordering: .relaxed) > 0 }
}
