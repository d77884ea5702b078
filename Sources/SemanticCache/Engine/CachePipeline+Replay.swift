import Synchronization

extension CachePipeline {
    /// Sends `record` through this pipeline as a live request (lookup, upstream, store) and
    /// returns what happened; the answer itself is discarded.
    public func replay(_ record: PrewarmRecord, with replay: PrewarmReplay) async -> PrewarmOutcome {
        await indexLoaded()
        let writer = CollectingResponseWriter()
        await handle(replay.request(for: record), writer: writer)
        let response = writer.response
        return PrewarmReplay.outcome(status: response.status, headers: response.headers, body: response.body, source: record.source)
    }
}

/// Keeps a response in memory instead of sending it anywhere.
final class CollectingResponseWriter: ResponseWriter {
    struct Response: Sendable {
        var status = 0
        var headers: HeaderList = []
        var body: [UInt8] = []
    }

    private let state = Mutex(Response())

    var response: Response { state.withLock { $0 } }

    func writeHead(status: Int, headers: HeaderList) async throws {
        state.withLock { $0.status = status; $0.headers = headers }
    }

    func writeBody(_ bytes: [UInt8]) async throws {
        state.withLock { $0.body += bytes }
    }

    func end() async throws {}

    func abort() async {
        // A cut-off answer is not a usable one.
        state.withLock { $0.status = 502 }
    }
}
