import ArgumentParser
import Dispatch
import Foundation
import Logging
import SemanticCache
import SemanticCacheServer
import Upstream

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the caching sidecar.",
        discussion: "Every option can also be set with the SEMCACHE_* environment variable named in its help; a flag wins over the variable.")

    @Option(help: "Upstream base URL, e.g. https://api.openai.com (SEMCACHE_UPSTREAM).")
    var upstream: String?

    @Option(help: "Address to bind (SEMCACHE_HOST). Default 127.0.0.1.")
    var host: String?

    @Option(help: "Port to listen on (SEMCACHE_PORT). Default 8080.")
    var port: Int?

    @Option(help: "With --db postgres://…: the longest a request waits for the database before it is answered without it; writes get five times as long (SEMCACHE_STORE_TIMEOUT). Default 2s.")
    var storeTimeout: DurationArgument?

    @Option(help: "The store (SEMCACHE_DB): a SQLite file, or postgres://user@host:port/db for a fleet sharing one cache (PG* variables fill in what the URL leaves out). Default semcache.db.")
    var db: String?

    @Option(help: "How long entries live: seconds or 30m/24h/7d (SEMCACHE_TTL). Default 7d.")
    var ttl: DurationArgument?

    @Flag(help: "Share entries between callers with different API keys (SEMCACHE_SHARED_CACHE=1). Recorded in the database: a database filled in the other mode is refused.")
    var sharedCache = false

    @Flag(help: "Also cache requests that ask for randomness, e.g. temperature > 0 (SEMCACHE_CACHE_NONDETERMINISTIC=1).")
    var cacheNondeterministic = false

    @Flag(help: "Accept connections only once the index is loaded (SEMCACHE_WAIT_FOR_INDEX=1). By default the sidecar answers at once and forwards requests uncached while the index of a large cache loads.")
    var waitForIndex = false

    @Option(help: "Largest request body the cache parses and stores, in bytes (SEMCACHE_MAX_BODY_BYTES); larger ones are forwarded uncached. Default 10485760.")
    var maxBodyBytes: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (SEMCACHE_LOG_LEVEL). Default info.")
    var logLevel: String?

    @Option(help: "Semantic hit threshold, 0…1 (SEMCACHE_THRESHOLD). Default: the hit rule's own.")
    var threshold: Double?

    @Option(help: "Bearer token for /_semcache/* and /metrics (SEMCACHE_ADMIN_TOKEN). Without one they are open on a loopback bind and disabled on any other.")
    var adminToken: String?

    @Option(help: "Price table for \"money saved\" (SEMCACHE_PRICES): JSON as printed by `semcache prices`. Default: the built-in table.")
    var prices: String?
    @Option(help: "Append every completed request to a cached endpoint (request and answer, never headers) to this JSONL file, created 0600; `semcache prewarm` reads it (SEMCACHE_LOG_FILE).")
    var logFile: String?

    @OptionGroup var embedderOptions: EmbedderOptions

    @OptionGroup(title: "Limits, timeouts and eviction") var limits: LimitOptions

    @OptionGroup(title: "Verified hits") var verification: VerificationOptions

    func run() async throws {
        guard let upstream = upstream ?? Environment.value("SEMCACHE_UPSTREAM") else {
            throw ValidationError("semcache serve needs an upstream: --upstream https://api.openai.com (or SEMCACHE_UPSTREAM)")
        }
        guard upstream.hasPrefix("http://") || upstream.hasPrefix("https://") else {
            throw ValidationError("--upstream must start with http:// or https://, got \(upstream)")
        }
        let level = try logLevelValue()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "semcache")

        var cache = SidecarConfiguration(upstreamURL: upstream)
        let store = try StoreOption(db ?? Environment.value("SEMCACHE_DB") ?? cache.databasePath)
        let storeTimeout = storeTimeout ?? Environment.value("SEMCACHE_STORE_TIMEOUT").flatMap(DurationArgument.init(argument:))
        guard storeTimeout.map({ $0.seconds >= 1 }) ?? true else { throw ValidationError("--store-timeout must be at least 1s") }
        store.configure(&cache, timeout: .seconds(storeTimeout?.seconds ?? 2), logger: logger)
        // A shared database that does not answer at start must not take the app's LLM calls down with
        // it: the sidecar starts forwarding uncached. A SQLite file that cannot be opened is a local
        // mistake to fix now, so it stops the start.
        if case .postgres = store { cache.startWithoutStore = true }
        if let ttl = ttl ?? Environment.value("SEMCACHE_TTL").flatMap(DurationArgument.init(argument:)) {
            cache.defaultTTL = .seconds(ttl.seconds)
        }
        cache.sharedCache = sharedCache || Environment.flag("SEMCACHE_SHARED_CACHE")
        cache.cacheNondeterministic = cacheNondeterministic || Environment.flag("SEMCACHE_CACHE_NONDETERMINISTIC")
        cache.loadIndexInBackground = !(waitForIndex || Environment.flag("SEMCACHE_WAIT_FOR_INDEX"))
        if let limit = maxBodyBytes ?? Environment.value("SEMCACHE_MAX_BODY_BYTES").flatMap(Int.init) {
            cache.maxRequestBodyBytes = limit
        }
        if let threshold = threshold ?? Environment.value("SEMCACHE_THRESHOLD").flatMap(Double.init) {
            guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1, got \(threshold)") }
            cache.semanticThreshold = threshold
        }
        cache.verification = try verification.settings()
        cache.prices = try PriceTable.load(orBuiltIn: prices ?? Environment.value("SEMCACHE_PRICES"))
        let maxHeaderBytes = try limits.apply(to: &cache)
        if let path = logFile ?? Environment.value("SEMCACHE_LOG_FILE") {
            do { cache.trafficLog = try TrafficLogWriter(path: path, logger: logger) } catch { throw CommandFailure("\(error)") }
        }
        let client = try UpstreamClient(configuration: cache.upstreamClientConfiguration)
        let (embedder, embedderSummary) = try await embedderOptions.makeEmbedder(client: client)
        cache.embedder = embedder
        var configuration = SidecarServer.Configuration(
            host: host ?? Environment.value("SEMCACHE_HOST") ?? "127.0.0.1",
            port: port ?? Environment.value("SEMCACHE_PORT").flatMap(Int.init) ?? 8080,
            cache: cache, maxHeaderBytes: maxHeaderBytes)
        configuration.adminToken = adminToken ?? Environment.value("SEMCACHE_ADMIN_TOKEN")

        let server: SidecarServer
        do {
            server = try await SidecarServer.start(configuration, logger: logger, upstream: client)
        } catch {
            client.shutdown()
            throw CommandFailure("\(error)")
        }
        print(startupLine(configuration, server: server, store: store, embedder: embedderSummary))
        fflush(nil)  // scripts and tests read the start-up line through a pipe
        // Wait for SIGINT/SIGTERM, then stop accepting, drain requests in flight and their store writes.
        let (signalled, signal) = AsyncStream<Void>.makeStream()
        let signals = SignalWatcher { signal.yield() }
        for await _ in signalled { break }
        logger.notice("stopping: no new connections; waiting for requests in flight", metadata: ["timeout": "\(cache.shutdownTimeout)"])
        try await server.stop()
        withExtendedLifetime(signals) {}
    }

    private func startupLine(_ configuration: SidecarServer.Configuration, server: SidecarServer, store option: StoreOption, embedder: String) -> String {
        let cache = configuration.cache
        let store = server.pipeline.isLoadingIndex ? "loading its index; forwarding uncached until it is loaded" : "\(server.pipeline.indexedEntries) entries"
        let what = cache.cacheNondeterministic
            ? "every request (--cache-nondeterministic)"
            : "requests that do not ask for randomness (temperature 0 or unset, no top_p/top_k/n sampling; embeddings)"
        return """
            semcache listening on http://\(configuration.host):\(server.port) → upstream \(cache.upstreamURL) \
            (POST /v1/chat/completions goes to \(cache.upstreamURL(for: "/v1/chat/completions")))
              db: \(option) (\(store))
              caching: exact hits on POST \(CacheEndpoint.allCases.map(\.path).joined(separator: ", ")); \(what); \
            ttl \(cache.defaultTTL.components.seconds)s; \(server.pipeline.configuration.sharedCache ? "shared between API keys" : "partitioned by API key")
              semantic: \(embedder)\(server.pipeline.isLoadingIndex ? "" : server.pipeline.semantic.map { "; \($0.count) vectors" } ?? "")
              verification: \(VerificationOptions.summary(cache.verification))
              admin: \(server.adminAccess); dashboard http://\(configuration.host):\(server.port)/_semcache/ · prices as of \(cache.prices.asOf)
              eviction: \(cache.eviction.maxEntries.map { "at most \($0) entries" } ?? "no entry limit"), \
            \(cache.eviction.maxBytes.map { "at most \($0) bytes" } ?? "no byte limit"); expired entries removed every \(cache.maintenanceInterval)
            """ + (cache.trafficLog.map { "\n  traffic log: \($0.path)" } ?? "")
    }

    private func logLevelValue() throws -> Logger.Level {
        let text = logLevel ?? Environment.value("SEMCACHE_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \(text)")
        }
        return level
    }
}

/// Calls `onSignal` on SIGINT or SIGTERM while it is alive.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(onSignal: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: onSignal)
            source.resume()
            return source
        }
    }
}
