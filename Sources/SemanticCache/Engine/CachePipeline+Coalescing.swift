import Foundation

extension CachePipeline {
    /// `Cache-Status` and `X-Semcache` of a request answered by an identical request's upstream call.
    static let coalescedHeaders: HeaderList = [
        (name: "cache-status", value: CacheStatusHeader(outcome: .forwarded(.uriMiss), collapsed: true).value),
        (name: "x-semcache", value: "hit-coalesced"),
    ]

    /// Requests waiting for an identical request's upstream call.
    public var coalescingFollowers: Int { coalescer.followerCount }

    /// Forwards a miss; when an identical cacheable miss is already on its way upstream, waits for
    /// it instead (a stream request follows its stream as it arrives; others get its stored answer).
    /// If that request fails, the next waiter goes upstream itself.
    ///
    /// Only plain misses coalesce: never `no-cache`, `no-store` or `max-age`-stale requests.
    func forwardMissCoalescing(_ request: CacheableRequest, reason: CacheStatusHeader.ForwardReason, to writer: some ResponseWriter) async {
        guard reason == .uriMiss, !request.directives.noStore else {
            await forwardMiss(request, reason: reason, to: clientWriter(writer, for: request))
            return
        }
        let key = request.analysed.exactKey
        let makeFlight = { SharedFlight(leaderStreams: request.analysed.isStream, byteLimit: self.configuration.maxStoredResponseBytes) }
        var followed = false
        while true {
            switch coalescer.join(key, makeFlight: makeFlight) {
            case .leader(let flight):
                // An identical request may have landed between this request's lookup and now.
                if case .hit(let hit) = await exactLookup(request, now: Date().timeIntervalSince1970) {
                    coalescer.land(key, flight, .ended)
                    try? await hitResponse(hit, for: request, collapsed: followed).write(to: writer)
                    return
                }
                let publishing = PublishingResponseWriter(base: clientWriter(writer, for: request), flight: flight, coalescer: coalescer, key: key)
                await forwardMiss(request, reason: reason, to: publishing)
                coalescer.land(key, flight, .aborted)  // no effect when the writer landed it already
                return
            case .follower(let flight):
                followed = true
                let served = await follow(flight, request: request, to: writer)
                flight.removeFollower()
                if served { return }
            }
        }
    }

    /// Answers a follower from its leader: a stream request relays the leader's stream; otherwise,
    /// once the leader is done, its staged answer. Returns false when the leader left nothing to
    /// answer with (the follower then joins again, and one of the waiters goes upstream).
    private func follow(_ flight: SharedFlight, request: CacheableRequest, to writer: some ResponseWriter) async -> Bool {
        if request.analysed.isStream && flight.leaderStreams {
            // The leader's stream carries the usage chunk (asked for, by its caller or by semcache).
            if await relay(flight, request: request, to: clientWriter(writer, for: request)) { return true }
        } else {
            _ = await flight.ending()
        }
        guard case .hit(let hit) = await exactLookup(request, now: Date().timeIntervalSince1970) else { return false }
        try? await hitResponse(hit, for: request, collapsed: true).write(to: writer)
        return true
    }

    /// Relays the leader's stream from its start, at this follower's own pace. Returns false without
    /// writing anything when the leader's answer is not a successful event stream (the follower then
    /// waits for the end instead).
    private func relay(_ flight: SharedFlight, request: CacheableRequest, to writer: some ResponseWriter) async -> Bool {
        var seen = 0
        var headWritten = false
        while true {
            let update = await flight.update(seenChunks: seen, seenHead: headWritten)
            if !headWritten {
                guard let head = update.head, !update.overflowed, Self.isSuccessfulStream(head) else {
                    _ = await flight.ending()
                    return false
                }
                let headers = head.headers.filter { !Self.ownHeaderNames.contains($0.name.lowercased()) }
                    + Self.coalescedHeaders + [(name: "x-semcache-key", value: request.analysed.exactKey.prefix(16))]
                guard (try? await writer.writeHead(status: head.status, headers: headers)) != nil else { return true }
                headWritten = true
                stats.recordCoalesced(endpoint: request.analysed.endpoint.path, model: request.analysed.model)
            }
            for chunk in update.chunks {
                guard (try? await writer.writeBody(chunk)) != nil else { return true }
            }
            seen += update.chunks.count
            if update.overflowed || update.ending == .aborted {
                await writer.abort()
                return true
            }
            if update.ending == .ended {
                try? await writer.end()
                return true
            }
        }
    }

    private static let ownHeaderNames: Set<String> = ["cache-status", "x-semcache", "x-semcache-key"]

    private static func isSuccessfulStream(_ head: (status: Int, headers: HeaderList)) -> Bool {
        (200..<300).contains(head.status) && head.headers.first(named: "content-type")?.lowercased().hasPrefix("text/event-stream") == true
    }
}
