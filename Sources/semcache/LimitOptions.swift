import ArgumentParser
import SemanticCache

/// Limits, timeouts and eviction budgets of `semcache serve`.
struct LimitOptions: ParsableArguments {
    @Option(help: "Largest request header field, and sum of all header fields, in bytes (SEMCACHE_MAX_HEADER_BYTES). Default 81920.")
    var maxHeaderBytes: ByteCountArgument?

    @Option(help: "Largest request body accepted at all, e.g. 100M (SEMCACHE_MAX_REQUEST_BYTES); larger ones get 413. Default 100M.")
    var maxRequestBytes: ByteCountArgument?

    @Option(help: "Upstream connect timeout: seconds or 30s/2m (SEMCACHE_CONNECT_TIMEOUT). Default 10s.")
    var connectTimeout: DurationArgument?

    @Option(help: "Upstream first-byte timeout, from sending the request to the response head (SEMCACHE_FIRST_BYTE_TIMEOUT). Default 120s.")
    var firstByteTimeout: DurationArgument?

    @Option(help: "Upstream idle timeout, the longest pause inside a response (SEMCACHE_IDLE_TIMEOUT). Default 120s.")
    var idleTimeout: DurationArgument?

    @Option(help: "Upstream transfers at once; more wait in a queue (SEMCACHE_MAX_UPSTREAM_TRANSFERS). Default 256.")
    var maxUpstreamTransfers: Int?

    @Option(help: "Most entries kept; the least recently hit are evicted beyond (SEMCACHE_MAX_ENTRIES). Default unlimited.")
    var maxEntries: Int?

    @Option(help: "Most bytes of responses, prompts and vectors kept, e.g. 500M or 2G (SEMCACHE_MAX_BYTES). Default unlimited.")
    var maxBytes: ByteCountArgument?

    @Option(help: "How often expired entries are removed (SEMCACHE_SWEEP_INTERVAL). Default 60s.")
    var sweepInterval: DurationArgument?

    @Option(help: "How long SIGTERM/SIGINT waits for requests in flight (SEMCACHE_SHUTDOWN_TIMEOUT). Default 10s.")
    var shutdownTimeout: DurationArgument?

    /// Applies every option given (or its environment variable) to `cache`; returns the header limit.
    func apply(to cache: inout SidecarConfiguration) throws -> Int {
        func duration(_ option: DurationArgument?, _ variable: String) -> Duration? {
            (option ?? Environment.value(variable).flatMap(DurationArgument.init(argument:))).map { .seconds($0.seconds) }
        }
        if let value = duration(connectTimeout, "SEMCACHE_CONNECT_TIMEOUT") { cache.upstreamTimeouts.connect = value }
        if let value = duration(firstByteTimeout, "SEMCACHE_FIRST_BYTE_TIMEOUT") { cache.upstreamTimeouts.firstByte = value }
        if let value = duration(idleTimeout, "SEMCACHE_IDLE_TIMEOUT") { cache.upstreamTimeouts.idle = value }
        if let value = duration(sweepInterval, "SEMCACHE_SWEEP_INTERVAL") {
            guard value > .zero else { throw ValidationError("--sweep-interval must be at least 1s") }
            cache.maintenanceInterval = value
        }
        if let value = duration(shutdownTimeout, "SEMCACHE_SHUTDOWN_TIMEOUT") { cache.shutdownTimeout = value }
        if let value = maxUpstreamTransfers ?? Environment.value("SEMCACHE_MAX_UPSTREAM_TRANSFERS").flatMap(Int.init) {
            guard value >= 1 else { throw ValidationError("--max-upstream-transfers must be at least 1, got \(value)") }
            cache.maxUpstreamTransfers = value
        }
        if let value = maxEntries ?? Environment.value("SEMCACHE_MAX_ENTRIES").flatMap(Int.init) {
            guard value >= 0 else { throw ValidationError("--max-entries must not be negative, got \(value)") }
            cache.eviction.maxEntries = value
        }
        if let value = maxBytes ?? Environment.value("SEMCACHE_MAX_BYTES").flatMap(ByteCountArgument.init(argument:)) {
            cache.eviction.maxBytes = value.bytes
        }
        if let value = maxRequestBytes ?? Environment.value("SEMCACHE_MAX_REQUEST_BYTES").flatMap(ByteCountArgument.init(argument:)) {
            cache.maxRequestBytes = value.bytes
        }
        guard cache.maxRequestBytes >= cache.maxRequestBodyBytes else {
            throw ValidationError("--max-request-bytes (\(cache.maxRequestBytes)) must be at least --max-body-bytes (\(cache.maxRequestBodyBytes))")
        }
        let headers = maxHeaderBytes ?? Environment.value("SEMCACHE_MAX_HEADER_BYTES").flatMap(ByteCountArgument.init(argument:))
        return headers?.bytes ?? 80 * 1024
    }
}

/// A byte count given as a number or with a unit: `1048576`, `512K`, `500M`, `2G` (powers of 1024).
struct ByteCountArgument: ExpressibleByArgument, Sendable {
    let bytes: Int

    init?(argument: String) {
        let units: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var text = Substring(argument.lowercased())
        if text.hasSuffix("b") || text.hasSuffix("ib") { text = text.dropLast(text.hasSuffix("ib") ? 2 : 1) }
        var multiplier = 1
        if let last = text.last, let unit = units[last] {
            multiplier = unit
            text = text.dropLast()
        }
        guard let value = Int(text), value >= 0, value <= Int.max / multiplier else { return nil }
        bytes = value * multiplier
    }
}
