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

/// A statement that should have returned a row returned none.
enum PostgresStoreFailure: Error, CustomStringConvertible {
    case noRowReturned

    var description: String { "the statement returned no row" }
}
