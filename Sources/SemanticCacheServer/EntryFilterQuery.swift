import Foundation
import SemanticCache
import Store

/// An admin request the sidecar cannot act on; answered 400 with the message.
struct InvalidAdminRequest: Error {
    let message: String

    var response: CompleteResponse { .error(status: 400, type: "invalid_request", message: message) }
}

/// Reads an ``EntryFilter`` from a query string (listing) or a JSON body (purge).
enum EntryFilterQuery {
    /// `model`, `namespace`, `older_than` (a duration such as `7d`).
    static func filter(_ query: QueryString) throws(InvalidAdminRequest) -> EntryFilter {
        var filter = EntryFilter(model: query["model"], namespace: query["namespace"])
        if let olderThan = query["older_than"] {
            filter.createdBefore = try createdBefore(olderThan: olderThan)
        }
        return filter
    }

    /// `{"ids": [1, 2], "model": "…", "namespace": "…", "older_than": "7d", "all": true}`: at least
    /// one condition, or `"all": true` alone to delete everything.
    static func purgeFilter(_ body: [UInt8]) throws(InvalidAdminRequest) -> EntryFilter {
        let usage = #"purge needs a JSON body with "ids": [..], "model", "namespace" and/or "older_than" (e.g. "7d"), or {"all": true}"#
        guard let json = try? JSONValue.parse(body), json.object != nil else { throw InvalidAdminRequest(message: usage) }
        var filter = EntryFilter(model: json["model"]?.string, namespace: json["namespace"]?.string)
        if let ids = json["ids"] {
            let elements = ids.array ?? []
            let parsed = elements.compactMap { $0.int.map(Int64.init) }
            guard ids.array != nil, parsed.count == elements.count else { throw InvalidAdminRequest(message: #""ids" must be an array of entry ids"#) }
            filter.ids = parsed
        }
        if let olderThan = json["older_than"] {
            filter.createdBefore = try createdBefore(olderThan: olderThan.string ?? "")
        }
        let all = json["all"]?.bool == true
        if filter.matchesEverything != all {
            throw InvalidAdminRequest(message: all ? #""all": true cannot be combined with other conditions"# : usage)
        }
        return filter
    }

    private static func createdBefore(olderThan text: String) throws(InvalidAdminRequest) -> Double {
        guard let seconds = DurationText.seconds(text) else {
            throw InvalidAdminRequest(message: "older_than must be a duration such as 30m, 24h or 7d, got \(text)")
        }
        return Date().timeIntervalSince1970 - Double(seconds)
    }
}
