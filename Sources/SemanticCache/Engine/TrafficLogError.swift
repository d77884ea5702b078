#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A traffic log file that cannot be opened.
public struct TrafficLogError: Error, Sendable, CustomStringConvertible {
    public let path: String
    let code: Int32

    init(path: String, errno: Int32) {
        self.path = path
        code = errno
    }

    public var description: String {
        "cannot open the traffic log \(path) for appending: \(String(cString: strerror(code))); check that its directory exists and is writable"
    }
}
