import Foundation
import Synchronization

/// Starts child processes one at a time within the test process.
///
/// Parallel tests started `Process`es at the same moment, and `Process.run()` once crashed the test
/// process in a `memcpy` inside Foundation (swift-corelibs-foundation, Linux): launching is
/// serialised here. Only the launch is; the children still run side by side.
public enum ProcessLaunch {
    private static let lock = Mutex(())

    /// `process.run()`, never at the same time as another launch through this helper.
    public static func run(_ process: Process) throws {
        try spawning { try process.run() }
    }

    /// Runs `spawn` (a `posix_spawn`) under the same lock.
    public static func spawning<Result>(_ spawn: () throws -> Result) rethrows -> Result {
        try lock.withLock { _ in try spawn() }
    }
}
