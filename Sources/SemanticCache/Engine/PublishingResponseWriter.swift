/// The leader's writer during request coalescing: writes to the leader's client and publishes the
/// same parts on the flight, so followers can replay the stream; ending or aborting the response
/// lands the flight.
///
/// When the leader's client goes away while others wait on the flight, the response carries on
/// for them: writes to the gone client are dropped instead of failing, so the upstream transfer
/// runs to its end, the followers get the whole answer and it is stored. With no one waiting, the
/// failure propagates and the upstream transfer is cancelled.
struct PublishingResponseWriter<Base: ResponseWriter>: ResponseWriter {
    let base: Base
    let flight: SharedFlight
    let coalescer: RequestCoalescer
    let key: CacheKey

    func writeHead(status: Int, headers: HeaderList) async throws {
        if flight.leaderStreams { flight.publishHead(status: status, headers: headers) }
        try await toClient { try await base.writeHead(status: status, headers: headers) }
    }

    func writeBody(_ bytes: [UInt8]) async throws {
        if flight.leaderStreams { flight.publishBody(bytes) }
        try await toClient { try await base.writeBody(bytes) }
    }

    func end() async throws {
        // The answer (when storable) is staged before the end is written, so followers woken now find it.
        coalescer.land(key, flight, .ended)
        try await toClient { try await base.end() }
    }

    func abort() async {
        coalescer.land(key, flight, .aborted)
        await base.abort()
    }

    /// Runs a write to the leader's client unless it left; when it fails and followers wait, marks
    /// the client gone instead of failing.
    private func toClient(_ write: () async throws -> Void) async throws {
        guard !flight.leaderClientGone else { return }
        do {
            try await write()
        } catch {
            guard flight.leaderClientLeft() else { throw error }
        }
    }
}
