import SemanticCache

/// Who may use `/_semcache/*` and `/metrics`.
///
/// - A bind on loopback (127.0.0.0/8, `::1`, `localhost`) without a token: open.
/// - With `--admin-token`: every request needs `Authorization: Bearer TOKEN` (missing → 401 with
///   `WWW-Authenticate: Bearer`, wrong → 403), whatever the bind.
/// - Any other bind without a token: the admin endpoints are disabled (403), so a sidecar on a
///   public address never exposes its entries by accident.
///
/// The dashboard page itself (`GET /_semcache/`) holds no data and is always served; the page asks
/// for the token when its data requests get 401. The token is compared in constant time and never logged.
struct AdminAccess: Sendable {
    private enum Rule: Sendable {
        case open
        case token([UInt8])
        case disabled
    }

    private let rule: Rule

    init(host: String, token: String?) {
        if let token, !token.isEmpty {
            rule = .token(Array(token.utf8))
        } else {
            rule = Self.isLoopback(host) ? .open : .disabled
        }
    }

    /// One line for the start-up output (never the token).
    var summary: String {
        switch rule {
        case .open: "open (loopback bind)"
        case .token: "bearer token required"
        case .disabled: "disabled (non-loopback bind without --admin-token)"
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Nil when `request` may proceed, else the refusal to send.
    func refusal(for request: IncomingRequest) -> CompleteResponse? {
        switch rule {
        case .open:
            return nil
        case .disabled:
            return .error(status: 403, type: "admin_disabled",
                          message: "semcache admin endpoints are disabled on a non-loopback bind; start semcache serve with --admin-token (or SEMCACHE_ADMIN_TOKEN) to use them")
        case .token(let expected):
            guard let header = request.headers.first(named: "authorization"), header.count > 7,
                  header.prefix(7).lowercased() == "bearer "
            else {
                var response = CompleteResponse.error(status: 401, type: "admin_token_required",
                                                      message: "this semcache admin endpoint needs Authorization: Bearer <admin token>")
                response.headers.append((name: "www-authenticate", value: #"Bearer realm="semcache""#))
                return response
            }
            let presented = Array(header.utf8.dropFirst(7))
            guard Self.constantTimeEquals(presented, expected) else {
                return .error(status: 403, type: "admin_token_invalid", message: "the admin token is not the one semcache was started with")
            }
            return nil
        }
    }

    /// Compares in time that depends only on the lengths, not on where the bytes differ.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
