/// The `scheme://host:port` part of a URL, used to name an upstream in errors without leaking
/// its path, query or credentials.
enum UpstreamOrigin {
    static func of(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "(URL without scheme)" }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var authority = url[schemeEnd.upperBound...]
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            authority = authority[..<end]
        }
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
        let hasPort = authority[hostEnd...].contains(":")
        guard !hasPort, let port = defaultPorts[scheme] else { return "\(scheme)://\(authority)" }
        return "\(scheme)://\(authority):\(port)"
    }

    private static let defaultPorts = ["http": 80, "https": 443]
}
