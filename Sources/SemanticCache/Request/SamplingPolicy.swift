/// Whether a request asks the model for randomness: the one rule that decides which requests are cacheable
/// by default (``CacheRequest/asksForRandomness``).
///
/// A request asks for randomness when
/// - `temperature` is a number above 0, or any other non-null type (`"0"`, `true`: the upstream judges it);
/// - `temperature` is absent or `null` and the request tunes sampling explicitly: `top_p` below 1, or `top_k`
///   above 1 (Anthropic);
/// - chat or text completions: `n` or `best_of` above 1 while `temperature` is not 0 (it wants different samples).
///
/// Everything else is cacheable: `temperature: 0`, and requests that set no sampling parameter at all — the
/// Anthropic SDK 2.x `messages.create` without `temperature`, OpenAI reasoning models (which reject any
/// temperature but the default), the Responses API. Embeddings never ask for randomness. The sampling
/// parameters always stay in the cache key, so requests that differ in them never share entries.
enum SamplingPolicy {
    /// Whether `body` (a request to `endpoint`) asks for randomness.
    static func asksForRandomness(_ body: JSONCursor, endpoint: CacheEndpoint) -> Bool {
        if endpoint == .embeddings { return false }
        let temperature = body["temperature"].flatMap { $0.kind == .null ? nil : $0 }
        if let temperature {
            // Decided on the decimal text, so even 1e-400 (0 as a Double) counts as above 0.
            guard let text = temperature.number?.canonicalText else { return true }
            if text != "0" && !text.hasPrefix("-") { return true }
        } else if isNumber(body["top_p"], where: { $0 < 1 }) || isNumber(body["top_k"], where: { $0 > 1 }) {
            return true
        }
        let temperatureIsZero = temperature != nil
        switch endpoint {
        case .chatCompletions, .completions:
            return !temperatureIsZero && (isNumber(body["n"], where: { $0 > 1 }) || isNumber(body["best_of"], where: { $0 > 1 }))
        case .anthropicMessages, .embeddings, .responses:
            return false
        }
    }

    private static func isNumber(_ value: JSONCursor?, where predicate: (Double) -> Bool) -> Bool {
        guard let text = value?.number?.canonicalText, let number = Double(text) else { return false }
        return predicate(number)
    }
}
