import Foundation

/// Where a PostgreSQL store is: parsed from `postgres://user:password@host:port/database?sslmode=…`,
/// with what the URL leaves out taken from the standard `PGHOST`, `PGPORT`, `PGUSER`,
/// `PGPASSWORD`, `PGDATABASE` and `PGSSLMODE` variables (then libpq's defaults: localhost, 5432,
/// the user name as database). The password is kept for connecting and never described.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How to use TLS, as libpq's `sslmode` (only the modes that do not need certificates here).
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `url`; `environment` supplies the `PG*` defaults.
    public init(url: String, environment: [String: String]) throws(PostgresLocationError) {
        guard let schemeEnd = url.range(of: "://"), Self.isURL(url) else { throw .notAURL }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var urlUser: String?
        var urlPassword: String?
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                urlUser = try Self.decoded(userInfo[..<colon])
                urlPassword = try Self.decoded(userInfo[userInfo.index(after: colon)...])
            } else {
                urlUser = try Self.decoded(userInfo)
            }
        }
        var urlHost: String?
        var urlPort: Int?
        if !rest.isEmpty {
            if let colon = rest.lastIndex(of: ":") {
                guard let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else { throw .badPort }
                urlPort = port
                rest = rest[..<colon]
            }
            if !rest.isEmpty { urlHost = String(rest) }
        }
        var urlTLS: String?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw .badParameter(String(pair)) }
            guard parts[0] == "sslmode" else { throw .badParameter(String(parts[0])) }
            urlTLS = String(parts[1])
        }
        let environmentPort = try environment["PGPORT"].map { text throws(PostgresLocationError) in
            guard let port = Int(text), (1...65_535).contains(port) else { throw .badPort }
            return port
        }
        user = urlUser ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = urlPassword ?? environment["PGPASSWORD"]
        host = urlHost ?? environment["PGHOST"] ?? "localhost"
        port = urlPort ?? environmentPort ?? 5432
        let databaseName = path.isEmpty ? nil : try Self.decoded(path)
        database = databaseName ?? environment["PGDATABASE"] ?? user
        let tlsText = urlTLS ?? environment["PGSSLMODE"] ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: tlsText) else { throw .badParameter("sslmode=\(tlsText)") }
        self.tls = tls
    }

    /// The URL without the password, for logs, start-up lines and health.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    private static func decoded(_ text: Substring) throws(PostgresLocationError) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw .badEscape }
        return decoded
    }
}

/// Why a `postgres://` URL was refused. Never includes the URL itself: it may hold a password.
public enum PostgresLocationError: Error, CustomStringConvertible, Equatable {
    case notAURL
    case badPort
    case badEscape
    case badParameter(String)

    public var description: String {
        switch self {
        case .notAURL: "a PostgreSQL store is given as postgres://user@host:port/database"
        case .badPort: "the PostgreSQL port must be a number from 1 to 65535"
        case .badEscape: "the PostgreSQL URL has a bad %-escape"
        case .badParameter(let parameter): "the PostgreSQL URL has an unsupported parameter \(parameter) (only sslmode=disable|prefer|require)"
        }
    }
}
