import CCurl

/// Builds the `curl_slist` of request headers.
enum RequestHeaderList {
    /// Derived by libcurl from the URL and body; a caller's value would contradict them.
    static let derivedByCurl: Set<String> = ["host", "content-length", "transfer-encoding"]

    /// The caller's headers plus blank entries that stop libcurl adding `Accept`, `Expect` and a form
    /// `Content-Type` of its own. The caller frees the list with `curl_slist_free_all`.
    static func make(
        _ headers: [(name: String, value: String)], sendsBody: Bool, origin: String
    ) throws(UpstreamError) -> UnsafeMutablePointer<curl_slist>? {
        var lines: [String] = []
        var present: Set<String> = []
        for (name, value) in headers {
            let lowercased = name.lowercased()
            guard !derivedByCurl.contains(lowercased) else { continue }
            guard isValidName(name), !value.contains(where: { $0 == "\r\n" || $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw .invalidRequest(origin, cause: "header \"\(name)\" has an invalid name or a line break in its value")
            }
            present.insert(lowercased)
            // "Name:" would tell libcurl to remove the header; "Name;" sends it with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if !present.contains("accept") { lines.append("Accept:") }
        if !present.contains("expect") { lines.append("Expect:") }
        if sendsBody && !present.contains("content-type") { lines.append("Content-Type:") }

        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .transferFailed(origin, cause: "out of memory building the request headers")
            }
            list = extended
        }
        return list
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
    }
}
