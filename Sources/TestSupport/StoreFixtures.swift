import Foundation
import Store

/// Entries and paths the store tests share.
public enum StoreFixtures {
    /// A fresh SQLite path in the temporary directory.
    public static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("semcache-store-\(UUID().uuidString).db").path
    }

    /// A chat entry whose exact key is 32 bytes of `key`, in context 7, with a two-dimensional vector.
    public static func entry(key: UInt8, prompt: String = "hello", expiresAt: Double = 2_000_000_000) -> NewEntry {
        NewEntry(
            key: Array(repeating: key, count: 32), contextKey: Array(repeating: 7, count: 32),
            endpoint: "/v1/chat/completions", model: "gpt-4o-mini", namespace: "", prompt: prompt,
            embedding: [0.6, 0.8], embedderID: "test", response: Array("{\"ok\":\(key)}".utf8),
            responseKind: .json, status: 200, contentType: "application/json", promptTokens: 12,
            completionTokens: 30, upstreamMilliseconds: 812.5, createdAt: 1_700_000_000, expiresAt: expiresAt)
    }

    /// A request row of the statistics tests.
    public static func statsRow(_ bucket: Int64, _ result: String, model: String = "m", requests: Int = 1, tokens: Int = 0) -> StatsRequestRow {
        StatsRequestRow(bucketStart: bucket, endpoint: "/v1/chat/completions", model: model, result: result, detail: "",
                        requests: requests, promptTokensSaved: tokens, costSavedUSD: Double(tokens) / 1000)
    }
}
