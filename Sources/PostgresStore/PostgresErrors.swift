import PostgresNIO
import Store

/// Turns PostgresNIO's errors into ``StoreError``s that say what the server said, naming the
/// store without its password.
enum PostgresErrors {
    static func mapping<Result>(_ location: PostgresLocation, _ body: () async throws -> Result) async throws(StoreError) -> Result {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch let error as PSQLError {
            throw StoreError.database(message(of: error), location: location.description)
        } catch {
            throw StoreError.database("\(error)", location: location.description)
        }
    }

    /// Runs `body` again (at most `attempts` times in all) when it failed on a connection that
    /// turned out to be closed: after the database restarted, the pool hands out connections it
    /// has not yet noticed are dead, and each fails at once. Every statement here is safe to
    /// repeat (upserts by key, deletes by id, reads).
    static func retryingClosedConnections<Result>(attempts: Int = 4, _ body: () async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch where attempt < attempts && isClosedConnection(error) {
                attempt += 1
            }
        }
    }

    private static func isClosedConnection(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return closedConnectionCodes.contains(error.code) }
        if let error = error as? PostgresTransactionError {
            return [error.beginError, error.closureError].contains { $0.map(isClosedConnection) ?? false }
        }
        return false
    }

    private static let closedConnectionCodes: Set<PSQLError.Code> = [
        .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown,
    ]

    /// The server's message and SQL state, or the client-side error code (PSQLError's own
    /// description hides everything, to be safe about leaking data).
    static func message(of error: PSQLError) -> String {
        if let info = error.serverInfo, let text = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return text + state
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

/// Failures of the store itself rather than of the server.
enum PostgresStoreFailure: Error, CustomStringConvertible {
    /// A statement that should have returned a row returned none.
    case noRowReturned
    /// The database did not answer within the store timeout.
    case timedOut(Duration)

    var description: String {
        switch self {
        case .noRowReturned: "the statement returned no row"
        case .timedOut(let limit): "no answer within the store timeout (\(limit)); the database is unreachable or overloaded"
        }
    }
}
