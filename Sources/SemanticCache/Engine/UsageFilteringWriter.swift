import Synchronization

/// Writes a forwarded event stream to a client without its usage chunk (``UsageChunkFilter``): for a
/// caller that did not ask for `stream_options.include_usage` while the upstream was asked for it.
/// Other responses (errors, JSON), and every response when not `removingUsage`, pass through untouched.
final class UsageFilteringWriter<Base: ResponseWriter>: ResponseWriter {
    private let base: Base
    private let removingUsage: Bool
    /// Active once a successful event stream's head went out.
    private let state = Mutex<(active: Bool, filter: UsageChunkFilter)>((false, UsageChunkFilter()))

    init(base: Base, removingUsage: Bool) {
        self.base = base
        self.removingUsage = removingUsage
    }

    func writeHead(status: Int, headers: HeaderList) async throws {
        let isStream = removingUsage && (200..<300).contains(status)
            && headers.first(named: "content-type")?.lowercased().hasPrefix("text/event-stream") == true
        guard isStream else { return try await base.writeHead(status: status, headers: headers) }
        state.withLock { $0.active = true }
        // Bytes are removed, so an upstream content-length would no longer be true.
        try await base.writeHead(status: status, headers: headers.filter { !$0.name.caseInsensitiveEquals("content-length") })
    }

    func writeBody(_ bytes: [UInt8]) async throws {
        let passed = state.withLock { $0.active ? $0.filter.feed(bytes) : bytes }
        if !passed.isEmpty { try await base.writeBody(passed) }
    }

    func end() async throws {
        let rest = state.withLock { $0.filter.finish() }
        if !rest.isEmpty { try await base.writeBody(rest) }
        try await base.end()
    }

    func abort() async { await base.abort() }
}
