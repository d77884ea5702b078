import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the sidecar cannot listen where it was asked to, in words an operator can act on (NIO's
/// own errors read `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`).
public struct ListenError: Error, CustomStringConvertible, Sendable {
    public let description: String

    /// Describes `error`, thrown while binding `host`:`port`.
    init(_ error: any Error, host: String, port: Int) {
        switch error {
        case let error as IOError where error.errnoCode == EADDRINUSE:
            description = "port \(port) on \(host) is already in use (is another semcache running?): stop what listens there or pass another --port"
        case let error as IOError where error.errnoCode == EACCES:
            description = "no permission to listen on port \(port) on \(host) (ports below 1024 need privileges): pass --port 1024 or above"
        case let error as IOError where error.errnoCode == EADDRNOTAVAIL:
            description = "\(host) is not an address of this machine: pass --host 127.0.0.1, 0.0.0.0 or one of its addresses"
        case is SocketAddressError:
            description = "cannot resolve --host \(host): give an IP address or a resolvable name"
        default:
            description = "cannot listen on \(host):\(port): \(error)"
        }
    }
}
