import Foundation
import Store

/// A semantic candidate the hit rule accepted but verification kept from being served: the miss's
/// fresh answer is compared with the candidate's, a verdict that costs no extra upstream call.
struct NearMiss: Sendable {
    var entryID: Int64
    var entry: NewEntry
    var score: Double
}

extension CachePipeline {
    /// Whether a candidate the hit rule accepted with `score` may be served to `request`; true
    /// without verification.
    func verificationServes(score: Double, entry: Int64, request: CacheableRequest, context: CacheKey) -> Bool {
        verifier?.serves(score: score, entry: entry, request: request.analysed.exactKey, context: context) ?? true
    }

    /// Samples a hit that was just answered and, when sampled and within the budget, sends its
    /// request upstream in the background and compares the fresh answer with the served one.
    /// Never for `no-store` requests (or entries still being written). The hit's response never waits for it.
    func verifyInBackground(_ hit: Hit, for request: CacheableRequest) {
        guard let verifier, let id = hit.id, !request.directives.noStore else { return }
        switch verifier.sample(exact: hit.isExact) {
        case .notSampled: return
        case .overBudget:
            stats.recordVerificationOverBudget()
            return
        case .check: break
        }
        let started = verifier.run { [self] in
            stats.recordVerificationCall()
            guard let (fresh, milliseconds) = await freshAnswer(for: request),
                  let verdict = await judge(served: hit.entry, fresh: fresh, endpoint: request.analysed.endpoint)
            else {
                stats.recordVerificationFailed()
                return
            }
            let wrong = !verdict.agrees
            if hit.isExact {
                stats.recordVerdict(.exactHit, wrong: wrong)
                guard wrong else { return }
                // A stale entry: the fresh answer replaces it (same key, same id).
                logger.info("verification: exact hit was stale; entry replaced", metadata: ["entry": "\(id)", "reason": "\(verdict.reason)"])
                verifier.forget(entry: id)
                await storeFresh(fresh, upstreamMilliseconds: milliseconds, for: request)
            } else {
                stats.recordVerdict(.semanticHit, wrong: wrong)
                learn(wrong: wrong, score: hit.score, entry: id, request: request)
                guard wrong else { return }
                logger.info("verification: semantic hit disagreed; not served to this prompt again", metadata: ["entry": "\(id)", "reason": "\(verdict.reason)"])
                memory.forgetAlias(key: request.analysed.exactKey)
                // The fresh answer is this prompt's own: later repeats are exact hits on it.
                await storeFresh(fresh, upstreamMilliseconds: milliseconds, for: request)
            }
        }
        if !started { stats.recordVerificationOverBudget() }
    }

    /// Compares a miss's answer with the near-miss candidate's, in the background.
    func judgeNearMiss(_ nearMiss: NearMiss, fresh: RecordedResponse, for request: CacheableRequest) {
        guard let verifier else { return }
        let started = verifier.run { [self] in
            guard let verdict = await judge(served: nearMiss.entry, fresh: fresh, endpoint: request.analysed.endpoint) else {
                stats.recordVerificationFailed()
                return
            }
            stats.recordVerdict(.nearMiss, wrong: !verdict.agrees)
            learn(wrong: !verdict.agrees, score: nearMiss.score, entry: nearMiss.entryID, request: request)
        }
        if !started { stats.recordVerificationFailed() }
    }

    private func learn(wrong: Bool, score: Double, entry: Int64, request: CacheableRequest) {
        guard let verifier, let context = request.analysed.contextKey else { return }
        stats.recordThresholds(verifier.record(score: score, wrong: wrong, entry: entry, request: request.analysed.exactKey, context: context))
    }

    /// The upstream's answer to `request` now, as it would be stored, and how long it took; nil when
    /// the upstream failed or the answer may not be stored.
    private func freshAnswer(for request: CacheableRequest) async -> (RecordedResponse, milliseconds: Double)? {
        let started = ContinuousClock.now
        var upstreamRequest = request.incoming
        if asksUpstreamForStreamUsage(request) { upstreamRequest.body = request.analysed.bodyAskingForStreamUsage() }
        var recorder = ResponseRecorder(limit: configuration.maxStoredResponseBytes)
        guard await forward(upstreamRequest, to: DiscardingResponseWriter(), extraHeaders: [], cacheable: true, recorder: &recorder) else { return nil }
        guard case .success(let recorded) = recorder.storable(for: request.analysed.endpoint) else { return nil }
        return (recorded, (ContinuousClock.now - started).milliseconds)
    }

    /// Whether the served entry's answer and the fresh one agree (``AnswerComparator``); nil when
    /// either cannot be read.
    private func judge(served: NewEntry, fresh: RecordedResponse, endpoint: CacheEndpoint) async -> AnswerVerdict? {
        guard let verifier,
              let old = AnswerContent(body: served.response, kind: served.responseKind, endpoint: endpoint),
              let new = AnswerContent(body: fresh.body, kind: fresh.kind, endpoint: endpoint)
        else { return nil }
        let comparator = verifier.settings.comparator
        switch comparator.compare(served: old, fresh: new) {
        case .decided(let verdict):
            return verdict
        case .needsCosine:
            guard let semantic else { return .disagree("different text (no embedder to compare prose)") }
            do {
                let vectors = try await semantic.embed(batch: [old.text, new.text])
                return comparator.verdict(cosine: zip(vectors[0], vectors[1]).reduce(0) { $0 + $1.0 * $1.1 })
            } catch {
                stats.recordError(.embedder)
                return nil
            }
        }
    }

    /// Stores `fresh` as the answer to `request`, as a miss would.
    private func storeFresh(_ fresh: RecordedResponse, upstreamMilliseconds: Double, for request: CacheableRequest) async {
        stage(fresh, for: request, upstreamMilliseconds: upstreamMilliseconds)
        await persist(request)
    }
}

/// Drops a response: the client of a verification call is the sidecar itself, which reads the recorder.
struct DiscardingResponseWriter: ResponseWriter {
    func writeHead(status: Int, headers: HeaderList) async throws {}
    func writeBody(_ bytes: [UInt8]) async throws {}
    func end() async throws {}
    func abort() async {}
    func writeComplete(status: Int, headers: HeaderList, body: [UInt8]) async throws {}
}
