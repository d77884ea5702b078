/// The leader's writer during request coalescing: writes to the leader's client and publishes the
/// same parts on the flight, so followers can replay the stream; ending or aborting the response
/// lands the flight.
struct PublishingResponseWriter<Base: ResponseWriter>: ResponseWriter {
    let base: Base
    let flight: SharedFlight
    let coalescer: RequestCoalescer
    let key: CacheKey

    func writeHead(status: Int, headers: HeaderList) async throws {
        if flight.leaderStreams { flight.publishHead(status: status, headers: headers) }
        try await base.writeHead(status: status, headers: headers)
    }

    func writeBody(_ bytes: [UInt8]) async throws {
        if flight.leaderStreams { flight.publishBody(bytes) }
        try await base.writeBody(bytes)
    }

    func end() async throws {
        // The answer (when storable) is staged before the end is written, so followers woken now find it.
        coalescer.land(key, flight, .ended)
        try await base.end()
    }

    func abort() async {
        coalescer.land(key, flight, .aborted)
        await base.abort()
    }
}
