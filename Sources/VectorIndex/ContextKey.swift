/// The key of a request context (a SHA-256 digest of everything in a request except the text being
/// embedded). Only vectors that share a context key are compared with each other.
///
/// The bytes are opaque to the index: it only hashes and compares them. They are normally 32 bytes long,
/// but any length is accepted.
public struct ContextKey: Hashable, Sendable {
    /// The key's bytes, as given.
    public let bytes: [UInt8]

    /// Wraps the given bytes (normally a 32-byte digest).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Hashes the bytes in one call rather than one call per byte (which showed up in start-up
    /// profiles, where every loaded row looks up its partition).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
