/// A batch of prewarm records that could not be stored at all (as opposed to a record that was
/// skipped, which is a ``PrewarmOutcome/skipped(_:)``).
public struct PrewarmIngestError: Error, Sendable, CustomStringConvertible {
    private let reason: Reason

    private enum Reason: Sendable {
        case storeUnavailable(String)
        case storeFailed(String)
    }

    static func storeUnavailable(_ cause: String) -> Self { Self(reason: .storeUnavailable(cause)) }
    static func storeFailed(_ cause: String) -> Self { Self(reason: .storeFailed(cause)) }

    public var description: String {
        switch reason {
        case .storeUnavailable(let cause):
            "the cache store is unavailable (\(cause)); nothing can be prewarmed until it opens — check the --db path"
        case .storeFailed(let cause):
            "writing a batch to the cache store failed (\(cause)); earlier batches stay committed, this one was rolled back"
        }
    }
}
