/// An error from the cache store (SQLite or PostgreSQL). The cache fails open on every one of these: the request goes
/// upstream and the error is logged and counted.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case cannotOpen(path: String, cause: String)
        case sqlite(code: Int32, message: String, path: String)
        case schemaTooNew(path: String, found: Int, supported: Int)
        case schemaTooOld(path: String, found: Int, supported: Int)
        case database(message: String, location: String)
        case closed
    }

    private let kind: Kind

    static func cannotOpen(path: String, cause: String) -> StoreError { StoreError(kind: .cannotOpen(path: path, cause: cause)) }
    static func sqlite(code: Int32, message: String, path: String) -> StoreError {
        StoreError(kind: .sqlite(code: code, message: message, path: path))
    }
    static func schemaTooNew(path: String, found: Int, supported: Int) -> StoreError {
        StoreError(kind: .schemaTooNew(path: path, found: found, supported: supported))
    }
    static func schemaTooOld(path: String, found: Int, supported: Int) -> StoreError {
        StoreError(kind: .schemaTooOld(path: path, found: found, supported: supported))
    }
    static let closed = StoreError(kind: .closed)

    /// An error another backend reported; `location` names the store without secrets.
    public static func database(_ message: String, location: String) -> StoreError {
        StoreError(kind: .database(message: message, location: location))
    }

    /// The SQLite result code, when the error came from SQLite.
    public var sqliteCode: Int32? {
        if case .sqlite(let code, _, _) = kind { return code }
        return nil
    }

    public var description: String {
        switch kind {
        case .cannotOpen(let path, let cause):
            return "cannot open the cache database at \(path): \(cause) (check the path and its permissions, or pass another --db)"
        case .sqlite(let code, let message, let path):
            return "SQLite error \(code) on \(path): \(message)"
        case .schemaTooNew(let path, let found, let supported):
            return "the cache database at \(path) has schema version \(found), newer than this semcache supports (\(supported)); upgrade semcache or use another --db"
        case .schemaTooOld(let path, let found, let supported):
            return "the cache database at \(path) has schema version \(found), older than this semcache's \(supported), and was opened read-only; open it once with `semcache serve` (or `semcache purge --db`) to migrate it"
        case .database(let message, let location):
            return "cache store error on \(location): \(message)"
        case .closed:
            return "the cache store is closed"
        }
    }
}
