/// Rules for what crosses the sidecar between client and upstream (RFC 9110 §7.6.1).
enum Forwarding {
    /// Hop-by-hop headers: they describe one connection and never cross a proxy.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Request headers for the upstream: hop-by-hop ones (and those named in `Connection`), `Host`
    /// (libcurl sets it from the upstream URL), `Content-Length` (set from the body) and the
    /// sidecar's own `X-Semcache-*` controls removed. On cacheable endpoints `Accept-Encoding` is
    /// removed too, so the sidecar can read what it stores.
    static func upstreamRequestHeaders(_ headers: HeaderList, cacheable: Bool) -> HeaderList {
        let named = connectionNamed(headers)
        return headers.filter { header in
            let name = header.name.lowercased()
            if hopByHop.contains(name) || named.contains(name) { return false }
            if name == "host" || name == "content-length" || name.hasPrefix("x-semcache-") { return false }
            if cacheable && name == "accept-encoding" { return false }
            return true
        }
    }

    /// Response headers for the client: hop-by-hop ones removed; `Content-Length` is kept only
    /// when `keepLength` (the body is passed through unchanged and whole).
    static func clientResponseHeaders(_ headers: HeaderList, keepLength: Bool) -> HeaderList {
        let named = connectionNamed(headers)
        return headers.filter { header in
            let name = header.name.lowercased()
            if hopByHop.contains(name) || named.contains(name) { return false }
            if name == "content-length" { return keepLength }
            return true
        }
    }

    /// Joins the upstream base URL and the request's path and query. The base may be given with or
    /// without the `/v1` the SDKs put in their base URLs: `https://api.openai.com/v1` and
    /// `https://api.openai.com` both send `/v1/chat/completions` to
    /// `https://api.openai.com/v1/chat/completions`, never to `…/v1/v1/…`.
    static func upstreamURL(base: String, uri: String) -> String {
        var base = Substring(base)
        while base.hasSuffix("/") { base = base.dropLast() }
        let path = uri.hasPrefix("/") ? Substring(uri) : "/" + uri
        if base.hasSuffix("/v1"), path == "/v1" || path.hasPrefix("/v1/") || path.hasPrefix("/v1?") {
            base = base.dropLast(3)
        }
        return String(base + path)
    }

    /// Headers that carry a caller's credential in the supported APIs (OpenAI, Anthropic, Azure).
    static let credentialHeaders = ["authorization", "x-api-key", "api-key"]

    /// The caller's credential, the same whichever header carries it: `Authorization: Bearer K`,
    /// `x-api-key: K` and `api-key: K` all give `key:K`. Another `Authorization` scheme is kept whole
    /// (`authorization:Basic …`). Several different credentials are all kept, sorted; nil when there
    /// is none. Hashed into the cache partition; never stored or logged.
    static func credential(in headers: HeaderList) -> String? {
        var parts = Set<String>()
        for header in headers {
            if header.name.caseInsensitiveEquals("authorization") {
                let value = Substring(header.value).trimmingWhitespace()
                let scheme = value.prefix { $0 != " " }
                if scheme.lowercased() == "bearer" {
                    parts.insert("key:" + value.dropFirst(scheme.count).trimmingWhitespace())
                } else {
                    parts.insert("authorization:" + value)
                }
            } else if header.name.caseInsensitiveEquals("x-api-key") || header.name.caseInsensitiveEquals("api-key") {
                parts.insert("key:" + Substring(header.value).trimmingWhitespace())
            }
        }
        return parts.isEmpty ? nil : parts.sorted().joined(separator: "\n")
    }

    /// `scheme://host:port` of a URL, for messages: never its path, query or credentials.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return String(url[..<schemeEnd.upperBound]) + host
    }

    private static func connectionNamed(_ headers: HeaderList) -> Set<String> {
        var names = Set<String>()
        for header in headers where header.name.caseInsensitiveEquals("connection") {
            for token in header.value.split(separator: ",") {
                names.insert(token.trimmingWhitespace().lowercased())
            }
        }
        return names
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
