import Synchronization

/// The analyses of recent cacheable requests by their raw form (``RawRequestKey``), so a request
/// repeated byte for byte skips parsing, canonical JSON and key hashing and goes straight to the
/// exact lookup. Only pure results are kept (endpoint, directives, namespace, ``CacheRequest``):
/// whether an entry exists, is fresh or may answer is decided afresh on every request.
///
/// Bounded in entries and bytes with two generations: inserts go to the current one; when it is
/// full it becomes the previous one (the older one is dropped). A lookup that finds a key in the
/// previous generation moves it to the current one, so keys in use survive.
final class AnalysisMemo: Sendable {
    struct Analysis: Sendable {
        var endpoint: CacheEndpoint
        var directives: RequestDirectives
        var namespace: String
        var analysed: CacheRequest
    }

    private struct Generation {
        var analyses: [RawRequestKey: Analysis] = [:]
        var bytes = 0
    }

    private struct State {
        var current = Generation()
        var previous = Generation()
    }

    private let state = Mutex(State())
    /// Per generation.
    private let maxEntries: Int
    private let maxBytes: Int

    /// `maxEntries` and `maxBytes` bound each of the two generations; 0 disables the memo.
    init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    func lookup(_ key: RawRequestKey) -> Analysis? {
        guard maxEntries > 0 else { return nil }
        return state.withLock { state in
            if let found = state.current.analyses[key] { return found }
            guard let found = state.previous.analyses.removeValue(forKey: key) else { return nil }
            Self.add(key, found, to: &state, maxEntries: maxEntries, maxBytes: maxBytes)
            return found
        }
    }

    func insert(_ key: RawRequestKey, _ analysis: Analysis) {
        guard maxEntries > 0, Self.bytes(key, analysis) <= maxBytes else { return }
        state.withLock { state in
            guard state.current.analyses[key] == nil else { return }
            Self.add(key, analysis, to: &state, maxEntries: maxEntries, maxBytes: maxBytes)
        }
    }

    private static func add(_ key: RawRequestKey, _ analysis: Analysis, to state: inout State, maxEntries: Int, maxBytes: Int) {
        let bytes = bytes(key, analysis)
        if state.current.analyses.count >= maxEntries || state.current.bytes + bytes > maxBytes {
            state.previous = state.current
            state.current = Generation()
        }
        state.current.analyses[key] = analysis
        state.current.bytes += bytes
    }

    /// The key's bytes plus the analysis's tape (its bytes are the key's body, shared; its tokens
    /// are about a tenth of the body) and fixed overhead.
    private static func bytes(_ key: RawRequestKey, _ analysis: Analysis) -> Int {
        key.byteCount + key.byteCount / 2 + 512
    }
}
