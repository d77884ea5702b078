import Crypto

/// A cacheable API request, analysed once: its keys, whether it asks for randomness, and its semantic form.
///
/// Build it with ``analyse(endpoint:body:partition:)``. The analysis never crashes on bad input: a body it
/// cannot understand throws ``RequestAnalysisError`` and the server forwards the request untouched.
public struct CacheRequest: Sendable {
    /// Versions every key: changing how keys are computed changes this, so old entries can never match.
    /// v2: the credential is the same whichever header carries it (``CachePartition``), and embeddings
    /// leave `encoding_format` out.
    public static let keyVersion = "semcache-key-v2"
    /// Versions every context key, and keeps context keys apart from exact keys.
    public static let contextKeyVersion = "semcache-context-v2"

    public let endpoint: CacheEndpoint
    public let partition: CachePartition
    /// The parsed request, kept as a token tape over the body bytes.
    private let tape: JSONTape
    /// The `model` field (every cached endpoint requires it, so analysis fails without it).
    public let model: String?
    /// `"stream": true`: the caller wants server-sent events.
    public let isStream: Bool
    /// `"stream_options": {"include_usage": true}`: a streamed answer ends with a usage chunk.
    public let wantsStreamUsage: Bool
    /// Embeddings: the `encoding_format` the answer must use; `nil` for the other endpoints.
    public let embeddingEncoding: EmbeddingEncoding?
    /// Whether the request asks for randomness (``SamplingPolicy``): such requests are not cached by default.
    public let asksForRandomness: Bool
    /// Set when the request changes state the upstream keeps (Responses API `background: true` or a
    /// `conversation`): it is never answered from the cache nor stored, whatever its sampling.
    public let serverSideEffect: ServerSideEffect?
    /// SHA-256 over ``keyVersion``, the endpoint, the partition and the canonical body minus
    /// ``CacheEndpoint/ignoredFields`` (for the Responses API also whether `store` is on, absent meaning on).
    public let exactKey: CacheKey
    /// SHA-256 over ``contextKeyVersion`` and the same inputs as ``exactKey``, with the newest user text
    /// replaced by a placeholder; `nil` when the request has no semantic form. Semantic search only compares
    /// requests with the same context key.
    public let contextKey: CacheKey?
    /// The newest user turn's text, or `nil` when the request has no semantic form. Chat and Anthropic
    /// messages: the last message, if its role is `user` and its content is a string or only text parts
    /// (joined with "\n"); text completions: a `prompt` that is a single string; embeddings: never. Text that
    /// is empty or whitespace counts as none.
    public let semanticText: String?

    /// The request body as sent (ignored fields included), parsed into a ``JSONValue`` on each access.
    public var body: JSONValue { tape.root.value }

    /// Whether a streamed answer can carry a usage chunk the caller did not ask for: a chat or text
    /// completion stream without `stream_options.include_usage`. semcache then asks the upstream for it
    /// (``bodyAskingForStreamUsage()``), so the stored entry keeps its usage, and removes the chunk
    /// from what this caller receives (``UsageChunkFilter``).
    public var omitsStreamUsage: Bool {
        isStream && !wantsStreamUsage && (endpoint == .chatCompletions || endpoint == .completions)
    }

    /// The request body with `stream_options.include_usage: true`. Without `stream_options` the member
    /// is spliced in after the opening brace (one copy of the bytes); otherwise the body is rewritten
    /// with the other `stream_options` members kept.
    public func bodyAskingForStreamUsage() -> [UInt8] {
        let root = tape.root
        guard let options = root["stream_options"] else {
            let brace = tape.tokens[root.index].start
            var body: [UInt8] = []
            body.reserveCapacity(tape.bytes.count + Self.streamUsageMember.count)
            body += tape.bytes[...brace]
            body += Self.streamUsageMember
            body += tape.bytes[(brace + 1)...]
            return body
        }
        var rewritten = JSONObjectBuilder(root.value)
        var optionsBuilder = JSONObjectBuilder(options.kind == .object ? options.value : nil)
        optionsBuilder["include_usage"] = true
        rewritten["stream_options"] = optionsBuilder.value
        return rewritten.value.compactBytes
    }

    private static let streamUsageMember = Array(#""stream_options":{"include_usage":true},"#.utf8)

    /// Parses and analyses a request body. Cheap enough for every request: one validating pass over the
    /// bytes into a token tape (no allocation per value), one canonical serialisation copied mostly as raw
    /// byte ranges, and two SHA-256 digests over it (the context key swaps the newest user text for the
    /// placeholder while hashing).
    public static func analyse(endpoint: CacheEndpoint, body: [UInt8], partition: CachePartition) throws(RequestAnalysisError) -> CacheRequest {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: body)
        } catch {
            throw .invalidJSON(error)
        }
        let json = tape.root
        guard json.kind == .object else { throw .notAnObject }
        try RequestValidation.validate(json, for: endpoint)
        let semanticForm = SemanticForm(body: json, endpoint: endpoint)
        let facet = endpoint == .responses ? ResponsesRequest.storeKeyFacet(json) : []
        let keys = Self.keys(endpoint: endpoint, partition: partition, facet: facet, tape: tape, semanticForm: semanticForm)
        return CacheRequest(
            endpoint: endpoint,
            partition: partition,
            tape: tape,
            model: json["model"]?.string,
            isStream: json["stream"]?.bool == true,
            wantsStreamUsage: json["stream_options"]?["include_usage"]?.bool == true,
            embeddingEncoding: endpoint == .embeddings ? EmbeddingEncoding(request: json) : nil,
            asksForRandomness: SamplingPolicy.asksForRandomness(json, endpoint: endpoint),
            serverSideEffect: endpoint == .responses ? ResponsesRequest.serverSideEffect(json) : nil,
            exactKey: keys.exact,
            contextKey: keys.context,
            semanticText: semanticForm?.text
        )
    }

    /// Both keys from one canonical serialisation: the context key hashes the same bytes with the ranges
    /// holding the newest user text swapped for the quoted placeholder. `facet` (hashed before the body) holds
    /// what an endpoint keys apart from the canonical body.
    private static func keys(
        endpoint: CacheEndpoint, partition: CachePartition, facet: [UInt8], tape: JSONTape, semanticForm: SemanticForm?
    ) -> (exact: CacheKey, context: CacheKey?) {
        var canonical: [UInt8] = []
        canonical.reserveCapacity(tape.bytes.count + 64)
        let textRanges = tape.writeCanonical(
            excludingTopLevelKeys: endpoint.ignoredFields, recordingStrings: semanticForm?.textTokens ?? [], to: &canonical
        )
        var exact = hasher(version: keyVersion, endpoint: endpoint, partition: partition)
        exact.update(data: facet)
        exact.update(data: canonical)
        guard semanticForm != nil else { return (CacheKey(digest: exact.finalize()), nil) }
        var context = hasher(version: contextKeyVersion, endpoint: endpoint, partition: partition)
        context.update(data: facet)
        var quotedPlaceholder: [UInt8] = []
        JSONWriter.writeString(SemanticForm.placeholder, to: &quotedPlaceholder)
        var position = 0
        for range in textRanges {
            context.update(data: canonical[position..<range.lowerBound])
            context.update(data: quotedPlaceholder)
            position = range.upperBound
        }
        context.update(data: canonical[position...])
        return (CacheKey(digest: exact.finalize()), CacheKey(digest: context.finalize()))
    }

    private static func hasher(version: String, endpoint: CacheEndpoint, partition: CachePartition) -> SHA256 {
        var hasher = SHA256()
        hasher.update(data: Array("\(version)\n\(endpoint.rawValue)\n".utf8))
        partition.update(&hasher)
        return hasher
    }
}
