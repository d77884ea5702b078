#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input that cannot be read at all (as opposed to a bad line, which is a ``PrewarmIssue``).
public struct PrewarmReadError: Error, Sendable, CustomStringConvertible {
    private let reason: Reason

    private enum Reason: Sendable {
        case cannotOpen(String, errno: Int32)
        case readFailed(String, errno: Int32)
        case undetectable(String, seen: String)
        case ambiguous(String, candidates: [PrewarmFormat], seen: String)
        case notHAR(String)
    }

    static func cannotOpen(_ name: String, errno: Int32) -> Self { Self(reason: .cannotOpen(name, errno: errno)) }
    static func readFailed(_ name: String, errno: Int32) -> Self { Self(reason: .readFailed(name, errno: errno)) }
    static func undetectable(_ name: String, seen: String) -> Self { Self(reason: .undetectable(name, seen: seen)) }
    static func ambiguous(_ name: String, _ candidates: [PrewarmFormat], seen: String) -> Self {
        Self(reason: .ambiguous(name, candidates: candidates, seen: seen))
    }
    static func notHAR(_ name: String) -> Self { Self(reason: .notHAR(name)) }

    public var description: String {
        switch reason {
        case .cannotOpen(let name, let code):
            "cannot open \(name): \(String(cString: strerror(code))); check the path and its permissions"
        case .readFailed(let name, let code):
            "reading \(name) failed: \(String(cString: strerror(code)))"
        case .undetectable(let name, let seen):
            "cannot tell the format of \(name): \(seen); pass --format (semcache, pairs, openai-batch or har)"
        case .ambiguous(let name, let candidates, let seen):
            "\(name) could be \(candidates.map(\.rawValue).joined(separator: " or ")): \(seen); pass --format to choose"
        case .notHAR(let name):
            "\(name) is not a HAR file: no log.entries array was found"
        }
    }
}
