import Foundation
import Store
import Upstream

extension CachePipeline {
    /// Whether a miss asks the upstream for the usage chunk its caller did not ask for: the stored
    /// entry then keeps its usage; the caller's writer removes the chunk (``clientWriter(_:for:)``).
    func asksUpstreamForStreamUsage(_ request: CacheableRequest) -> Bool {
        request.analysed.omitsStreamUsage && !request.directives.noStore
    }

    /// The writer for the client of a forwarded stream: removes the usage chunk the upstream was
    /// asked for when this client did not ask for it.
    func clientWriter<Base: ResponseWriter>(_ writer: Base, for request: CacheableRequest) -> UsageFilteringWriter<Base> {
        UsageFilteringWriter(base: writer, removingUsage: request.analysed.omitsStreamUsage)
    }

    /// Forwards a cacheable miss, streams the answer to the client and stores it when it may be.
    /// A stream the caller wants without usage is asked for with it (``asksUpstreamForStreamUsage(_:)``);
    /// the writer must then be a ``clientWriter(_:for:)``.
    func forwardMiss(_ request: CacheableRequest, reason: CacheStatusHeader.ForwardReason, to writer: some ResponseWriter) async {
        let directives = request.directives
        let status = CacheStatusHeader(outcome: .forwarded(reason), detail: directives.noStore ? "no-store" : nil)
        let headers: HeaderList = [
            (name: "cache-status", value: status.value),
            (name: "x-semcache", value: "miss"),
            (name: "x-semcache-key", value: request.analysed.exactKey.prefix(16)),
        ]
        let started = ContinuousClock.now
        var recorder = ResponseRecorder(limit: configuration.maxStoredResponseBytes)
        var upstreamTime: Duration?
        var staged = false
        var upstreamRequest = request.incoming
        if asksUpstreamForStreamUsage(request) { upstreamRequest.body = request.analysed.bodyAskingForStreamUsage() }
        let completed = await forward(upstreamRequest, to: writer, extraHeaders: headers, cacheable: true, recorder: &recorder) { recorder in
            // Runs after the upstream finished and before the client sees the end of the response.
            upstreamTime = ContinuousClock.now - started
            guard !directives.noStore else { return }
            switch recorder.storable(for: request.analysed.endpoint) {
            case .success(let recorded):
                self.stage(recorded, for: request, upstreamMilliseconds: (ContinuousClock.now - started).milliseconds)
                staged = true
            case .failure(let reason):
                self.logger.debug("response not stored", metadata: ["reason": "\(reason)", "key": "\(request.analysed.exactKey.prefix(16))"])
            }
        }
        let total = ContinuousClock.now - request.received
        stats.recordMiss(endpoint: request.analysed.endpoint.path, model: request.analysed.model, reason: reason.rawValue,
                         prompt: directives.noStore ? nil : request.analysed.semanticText,
                         overhead: completed ? upstreamTime.map { total - $0 } : nil, upstreamStatus: recorder.status == 0 ? nil : recorder.status)
        // A staged answer is stored even when the client left before the end of the response was
        // written (curl closes right after the last byte of a content-length body): the upstream
        // completed it.
        if staged { await persist(request) }
        // Likewise a near miss is judged whenever the upstream's answer was staged, whether or not
        // the client stayed for the end of it.
        if let nearMiss = request.nearMiss, staged, case .success(let recorded) = recorder.storable(for: request.analysed.endpoint) {
            judgeNearMiss(nearMiss, fresh: recorded, for: request)
        }
        if completed, !directives.noStore { logTraffic(miss: request, recorder: recorder, upstreamMilliseconds: (ContinuousClock.now - started).milliseconds) }
    }

    /// Makes a recorded response answer exact lookups from memory at once.
    func stage(_ recorded: RecordedResponse, for request: CacheableRequest, upstreamMilliseconds: Double) {
        let now = Date().timeIntervalSince1970
        let ttl = request.directives.ttl.map(Double.init) ?? Double(configuration.defaultTTL.components.seconds)
        let entry = NewEntry(
            request: request.analysed, answer: recorded, embedding: request.queryVector, embedderID: semantic?.space.embedderID,
            upstreamMilliseconds: upstreamMilliseconds, createdAt: now, ttl: ttl)
        memory.stage(request.analysed.exactKey, entry)
        memoizeAnalysis(of: request)
    }

    /// Writes a staged entry to the store. When the store fails, the entry waits in the
    /// ``WriteBacklog`` (still answering from memory) for a retry, or is dropped when that is full.
    func persist(_ request: CacheableRequest) async {
        let key = request.analysed.exactKey
        guard let entry = memory.pendingEntry(for: key) else { return }
        guard store != nil else {
            memory.dropPending(key)
            return
        }
        let item = WriteBacklog.Item(key: key, context: request.analysed.contextKey, entry: entry)
        guard await write(item) == nil else { return }
        if backlog.append(item) {
            startRetryingBacklog()
        } else {
            memory.dropPending(key)
            logger.warning("store write backlog full; answer dropped", metadata: ["backlog": "\(backlog.count)"])
        }
    }

    /// Writes a staged entry to the store and hands it to ``CacheMemory`` (indexed, hot, no longer
    /// pending); returns its id, or nil when the store failed (it stays pending). An entry with a
    /// semantic form but no vector yet (its lookup did not need one) is embedded now, after the
    /// client has its answer.
    func write(_ item: WriteBacklog.Item) async -> Int64? {
        guard let store else { return nil }
        let (key, entry) = (item.key, item.entry)
        let id: Int64
        do {
            id = try await store.insert(entry)
        } catch {
            storeError(error, while: "storing an entry")
            return nil
        }
        memory.stored(key, id: id, entry: entry, context: item.context)
        stats.recordStored(bytes: Self.storedBytes(of: entry))
        guard let semantic, let context = item.context, let text = entry.prompt, entry.embedding == nil else { return id }
        do {
            let vector = try await semantic.embed(text)
            try await store.setEmbedding(id: id, embedding: vector, embedderID: semantic.space.embedderID)
            memory.storedVector(vector, id: id, context: context)
        } catch let error as StoreError {
            storeError(error, while: "storing an embedding")
        } catch {
            stats.recordError(.embedder)
            logger.error("embedder failed; entry stored without a vector", metadata: ["cause": "\(error)"])
        }
        return id
    }

    /// Retries the backlog every second until it is empty (one task at a time).
    private func startRetryingBacklog() {
        backlogRetry.withLock { retry in
            guard retry == nil else { return }
            retry = Task { [weak self] in
                while let self, self.backlog.count > 0, !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let items = self.backlog.takeAll()
                    for (index, item) in items.enumerated() {
                        guard await self.write(item) == nil else { continue }
                        self.backlog.putBack(items[index...])
                        break
                    }
                }
                self?.backlogRetry.withLock { $0 = nil }
                // An answer queued while this task was ending would otherwise wait for the next failure.
                if let self, self.backlog.count > 0, !Task.isCancelled { self.startRetryingBacklog() }
            }
        }
    }

    /// Bytes a stored entry counts for in the statistics: its response, prompt and vector.
    static func storedBytes(of entry: NewEntry) -> Int {
        entry.response.count + (entry.prompt?.utf8.count ?? 0) + (entry.embedding?.count ?? 0) * MemoryLayout<Float>.size
    }

    /// Deletes entries from the store and from memory; returns how many the store had.
    public func purge(ids: [Int64]) async throws -> Int {
        guard let store else { return 0 }
        await indexLoaded()
        let deleted = try await store.delete(ids: ids)
        memory.forget(ids: ids)
        stats.recordPurged(deleted)
        return deleted
    }

    // MARK: Forwarding

    /// Forwards `request` upstream and streams the answer to `writer`. Returns true when the
    /// response completed normally. `beforeEnd` runs once the upstream finished, before the end of
    /// the response is written.
    func forward(
        _ request: IncomingRequest, to writer: some ResponseWriter, extraHeaders: HeaderList, cacheable: Bool,
        recorder: inout ResponseRecorder, beforeEnd: (ResponseRecorder) -> Void = { _ in }
    ) async -> Bool {
        let upstreamRequest = UpstreamRequest(
            method: request.method,
            url: configuration.upstreamURL(for: request.uri),
            headers: Forwarding.upstreamRequestHeaders(request.headers, cacheable: cacheable),
            body: request.body)
        var headWritten = false
        do {
            for try await event in upstream.send(upstreamRequest) {
                switch event {
                case .head(let status, let headers):
                    upstreamHealth.record(reachable: true, source: .request, detail: "HTTP \(status)")
                    recorder.recordHead(status: status, headers: headers)
                    try await writer.writeHead(status: status, headers: Forwarding.clientResponseHeaders(headers, keepLength: true) + extraHeaders)
                    headWritten = true
                case .body(let bytes):
                    recorder.recordBody(bytes)
                    try await writer.writeBody(bytes)
                }
            }
            beforeEnd(recorder)
            try await writer.end()
            return true
        } catch let error as UpstreamError {
            stats.recordError(.upstream)
            upstreamHealth.record(error)
            logger.warning("upstream request failed", metadata: ["upstream": "\(Forwarding.origin(of: configuration.upstreamURL))", "cause": "\(error)"])
            if headWritten {
                await writer.abort()
            } else {
                try? await UpstreamFailureResponse.make(
                    error, upstream: Forwarding.origin(of: configuration.upstreamURL), shape: ErrorShape(path: request.path),
                    extraHeaders: extraHeaders
                ).write(to: writer)
            }
            return false
        } catch {
            // The client went away; leaving the loop cancels the upstream transfer.
            await writer.abort()
            return false
        }
    }

    func forward(_ request: IncomingRequest, to writer: some ResponseWriter, extraHeaders: HeaderList, cacheable: Bool) async -> Bool {
        var recorder = ResponseRecorder(limit: 0)
        return await forward(request, to: writer, extraHeaders: extraHeaders, cacheable: cacheable, recorder: &recorder)
    }
}

extension Duration {
    var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
