import Foundation
import Store

/// One JSON line per entry for `semcache export`: everything needed to inspect or re-import an
/// entry except its vector. The store holds no credentials (keys are hashes; the caller's API key
/// only ever enters a key through its SHA-256), so neither does the export.
public enum EntryExport {
    /// How many entries are read from the store per page while exporting.
    public static let pageSize = 200

    public static func line(_ stored: StoredEntry) -> [UInt8] {
        let entry = stored.entry
        let text = String(validating: entry.response, as: UTF8.self)
        let members: [(key: String, value: JSONValue)] = [
            (key: "id", value: .integer(Int(stored.id))),
            (key: "key", value: .string(hex(entry.key))),
            (key: "context_key", value: entry.contextKey.map { .string(hex($0)) } ?? .null),
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
            (key: "created_at", value: .real(entry.createdAt)),
            (key: "expires_at", value: .real(entry.expiresAt)),
            (key: "hits", value: .integer(stored.hits)),
            (key: "last_hit_at", value: stored.lastHitAt.map { .real($0) } ?? .null),
        ]
        return JSONValue.object(members).compactBytes + [UInt8(ascii: "\n")]
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
