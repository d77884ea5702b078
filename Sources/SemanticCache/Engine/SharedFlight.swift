import Synchronization

/// One upstream request that identical concurrent misses wait on (request coalescing).
///
/// The leader forwards the request; when it streams, it publishes the response head and every
/// body chunk here as it writes them to its own client. Followers that also asked for a stream
/// replay this log from the start and then follow it live, each at its own pace: the leader only
/// appends, so a slow follower never holds up the leader or the other followers. The log is
/// bounded by `byteLimit` (the stored-response limit); past it the log stops growing and followers
/// that are replaying it are cut off.
final class SharedFlight: Sendable {
    /// How the leader's response ended.
    enum Ending: Sendable, Equatable {
        /// The response ended normally (whatever its status); a storable answer is staged by now.
        case ended
        /// The response was cut off (upstream failure after the head, or the leader's client left
        /// with no follower waiting).
        case aborted
    }

    /// What a follower has not seen yet.
    struct Update: Sendable {
        var head: (status: Int, headers: HeaderList)?
        var chunks: [[UInt8]]
        var ending: Ending?
        var overflowed: Bool
    }

    private struct State {
        var head: (status: Int, headers: HeaderList)?
        var chunks: [[UInt8]] = []
        var bytes = 0
        var overflowed = false
        var ending: Ending?
        var followers = 0
        var leaderClientGone = false
        var watchers: [CheckedContinuation<Void, Never>] = []

        func hasNews(seenChunks: Int, seenHead: Bool) -> Bool {
            ending != nil || overflowed || chunks.count > seenChunks || (!seenHead && head != nil)
        }
    }

    /// Whether the leader publishes its stream (it asked for one); otherwise followers wait for the end.
    let leaderStreams: Bool
    private let byteLimit: Int
    private let state = Mutex(State())

    init(leaderStreams: Bool, byteLimit: Int) {
        self.leaderStreams = leaderStreams
        self.byteLimit = byteLimit
    }

    /// Followers currently waiting on this flight.
    var followerCount: Int { state.withLock { $0.followers } }

    func addFollower() { state.withLock { $0.followers += 1 } }

    /// Whether the leader's client went away while followers waited (the response carries on for them).
    var leaderClientGone: Bool { state.withLock { $0.leaderClientGone } }

    /// Records that the leader's client went away, if followers wait on the flight; returns whether
    /// they do (the leader then keeps the upstream transfer going for them).
    func leaderClientLeft() -> Bool {
        state.withLock { state in
            guard state.followers > 0 else { return false }
            state.leaderClientGone = true
            return true
        }
    }

    func removeFollower() { state.withLock { $0.followers -= 1 } }

    func publishHead(status: Int, headers: HeaderList) {
        change { $0.head = (status, headers) }
    }

    func publishBody(_ bytes: [UInt8]) {
        change { state in
            guard !state.overflowed else { return }
            if state.bytes + bytes.count > byteLimit {
                state.overflowed = true
            } else {
                state.bytes += bytes.count
                state.chunks.append(bytes)
            }
        }
    }

    /// Records how the leader's response ended; only the first call counts.
    func finish(_ ending: Ending) {
        change { state in
            if state.ending == nil { state.ending = ending }
        }
    }

    /// Waits until there is something the caller has not seen: the head (unless `seenHead`), chunks
    /// after the first `seenChunks`, an overflow or the ending.
    func update(seenChunks: Int, seenHead: Bool) async -> Update {
        await wait { $0.hasNews(seenChunks: seenChunks, seenHead: seenHead) } report: { state in
            Update(
                head: state.head, chunks: Array(state.chunks[min(seenChunks, state.chunks.count)...]),
                ending: state.ending, overflowed: state.overflowed)
        }
    }

    /// Waits for the leader's response to end.
    func ending() async -> Ending {
        await wait { $0.ending != nil } report: { $0.ending ?? .aborted }
    }

    private func wait<T: Sendable>(until ready: (State) -> Bool, report: (State) -> T) async -> T {
        while true {
            if let result = state.withLock({ ready($0) ? report($0) : nil }) { return result }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let isReady = state.withLock { state -> Bool in
                    if ready(state) { return true }
                    state.watchers.append(continuation)
                    return false
                }
                if isReady { continuation.resume() }
            }
        }
    }

    private func change(_ body: (inout State) -> Void) {
        let watchers = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            body(&state)
            defer { state.watchers.removeAll() }
            return state.watchers
        }
        for watcher in watchers { watcher.resume() }
    }
}
