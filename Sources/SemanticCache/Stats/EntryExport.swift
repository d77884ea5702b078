import Foundation
import Store

/// One JSON line per entry for `semcache export`, which `semcache prewarm` reads back (format
/// `semcache-export`) without losing anything: the exact and context keys (which hold the
/// partition: namespace and credential digest, or shared), the partitioning of the cache, the
/// response, times (so the TTL runs on), hit counts and the vector with its embedder (re-embedded
/// from `prompt` when the importing cache uses another embedder). The store holds no credentials
/// (keys are hashes; the caller's API key only ever enters a key through its SHA-256), so neither
/// does the export.
public enum EntryExport {
    /// How many entries are read from the store per page while exporting.
    public static let pageSize = 200
    /// The member that marks a line as an export line, with the format's version.
    public static let marker = "semcache_export"
    static let version = 1

    /// The line for `stored`, from a cache partitioned as `partitioning`.
    public static func line(_ stored: StoredEntry, partitioning: Partitioning) -> [UInt8] {
        line(stored.entry, id: stored.id, hits: stored.hits, lastHitAt: stored.lastHitAt, partitioning: partitioning)
    }

    static func line(_ entry: NewEntry, id: Int64, hits: Int, lastHitAt: Double?, partitioning: Partitioning) -> [UInt8] {
        let text = String(validating: entry.response, as: UTF8.self)
        let members: [(key: String, value: JSONValue)] = [
            (key: marker, value: .integer(version)),
            (key: "id", value: .integer(Int(id))),
            (key: "key", value: .string(hex(entry.key))),
            (key: "context_key", value: entry.contextKey.map { .string(hex($0)) } ?? .null),
            (key: "partitioning", value: .string(partitioning.rawValue)),
            (key: "endpoint", value: .string(entry.endpoint)),
            (key: "model", value: entry.model.map(JSONValue.string) ?? .null),
            (key: "namespace", value: .string(entry.namespace)),
            (key: "prompt", value: entry.prompt.map(JSONValue.string) ?? .null),
            (key: "status", value: .integer(entry.status)),
            (key: "content_type", value: entry.contentType.map(JSONValue.string) ?? .null),
            (key: "response_kind", value: .string(entry.responseKind.rawValue)),
            (key: "response_encoding", value: .string(text == nil ? "base64" : "utf8")),
            (key: "response", value: .string(text ?? Data(entry.response).base64EncodedString())),
            (key: "prompt_tokens", value: entry.promptTokens.map(JSONValue.integer) ?? .null),
            (key: "completion_tokens", value: entry.completionTokens.map(JSONValue.integer) ?? .null),
            (key: "upstream_ms", value: .real(entry.upstreamMilliseconds)),
            (key: "embedder_id", value: entry.embedderID.map(JSONValue.string) ?? .null),
            (key: "embedding", value: entry.embedding.map { .string(base64(floats: $0)) } ?? .null),
            (key: "created_at", value: .real(entry.createdAt)),
            (key: "expires_at", value: .real(entry.expiresAt)),
            (key: "hits", value: .integer(hits)),
            (key: "last_hit_at", value: lastHitAt.map { .real($0) } ?? .null),
        ]
        return JSONValue.object(members).compactBytes + [UInt8(ascii: "\n")]
    }

    /// The entry of an export line, or why it cannot be read.
    static func entry(from json: JSONValue) -> Result<ExportedEntry, ExportLineError> {
        guard json[marker]?.int == version else { return .failure(ExportLineError(reason: "not a version \(version) \(marker) line")) }
        guard let key = json["key"]?.string.flatMap(bytes(hex:)), key.count == 32 else { return .failure(ExportLineError(reason: "key is not 64 hex digits")) }
        let contextKey = json["context_key"]?.string.flatMap(bytes(hex:))
        guard json["context_key"]?.string == nil || contextKey?.count == 32 else { return .failure(ExportLineError(reason: "context_key is not 64 hex digits")) }
        guard let partitioning = json["partitioning"]?.string.flatMap(Partitioning.init(rawValue:)) else {
            return .failure(ExportLineError(reason: "partitioning must be per-key or shared"))
        }
        guard let endpoint = json["endpoint"]?.string, let kind = json["response_kind"]?.string.flatMap(ResponseKind.init(rawValue:)),
              let status = json["status"]?.int, let text = json["response"]?.string,
              let createdAt = json["created_at"]?.double, let expiresAt = json["expires_at"]?.double
        else { return .failure(ExportLineError(reason: "endpoint, status, response, response_kind, created_at and expires_at are required")) }
        let response: [UInt8]
        if json["response_encoding"]?.string == "base64" {
            guard let decoded = Data(base64Encoded: text) else { return .failure(ExportLineError(reason: "response is not base64")) }
            response = Array(decoded)
        } else {
            response = Array(text.utf8)
        }
        var embedding: [Float]?
        if let encoded = json["embedding"]?.string {
            guard let floats = floats(base64: encoded) else { return .failure(ExportLineError(reason: "embedding is not base64 float32 values")) }
            embedding = floats
        }
        let entry = NewEntry(
            key: key, contextKey: contextKey, endpoint: endpoint, model: json["model"]?.string, namespace: json["namespace"]?.string ?? "",
            prompt: json["prompt"]?.string, embedding: embedding, embedderID: embedding == nil ? nil : json["embedder_id"]?.string,
            response: response, responseKind: kind, status: status, contentType: json["content_type"]?.string,
            promptTokens: json["prompt_tokens"]?.int, completionTokens: json["completion_tokens"]?.int,
            upstreamMilliseconds: json["upstream_ms"]?.double ?? 0, createdAt: createdAt, expiresAt: expiresAt)
        return .success(ExportedEntry(entry: entry, partitioning: partitioning, hits: json["hits"]?.int ?? 0, lastHitAt: json["last_hit_at"]?.double))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Little-endian IEEE 754 single precision, base64.
    private static func base64(floats: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * 4)
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return Data(bytes).base64EncodedString()
    }

    private static func floats(base64 text: String) -> [Float]? {
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
        let bytes = Array(data)
        return stride(from: 0, to: bytes.count, by: 4).map { offset in
            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            return Float(bitPattern: bits)
        }
    }
}

/// Why an export line cannot be restored.
struct ExportLineError: Error {
    let reason: String
}

/// An entry read from a `semcache export` line, restored as it was (keys, times, hits, vector).
public struct ExportedEntry: Sendable {
    public var entry: NewEntry
    /// The partitioning of the cache it was exported from: its keys only match in a cache partitioned the same way.
    public var partitioning: Partitioning
    public var hits: Int
    public var lastHitAt: Double?
    /// Where it was read, for messages (set by the reader).
    public var source = PrewarmSource(file: "")
}

extension ExportedEntry {
    /// The entry as an export line again (its original id is not kept: 0).
    public var line: [UInt8] {
        EntryExport.line(entry, id: 0, hits: hits, lastHitAt: lastHitAt, partitioning: partitioning)
    }

    /// The item for one `semcache-export` line.
    static func item(from json: JSONValue, source: PrewarmSource) -> PrewarmItem {
        switch EntryExport.entry(from: json) {
        case .success(var exported):
            exported.source = source
            return .entry(exported)
        case .failure(let error):
            return IssueFactory(source: source).malformed(error.reason)
        }
    }
}
