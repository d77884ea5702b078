import Crypto

/// Which part of the cache a request may read and write: a namespace and, unless shared, the caller's credential.
///
/// The raw credential (the API key, the same whichever header carries it) is hashed with SHA-256 in the
/// initialiser and never kept: no property, description or reflection of this type contains it.
public struct CachePartition: Sendable, Hashable, CustomStringConvertible {
    /// The namespace requests are grouped by (for example one per application or tenant).
    public let namespace: String
    /// When `true`, all callers with any credential share entries within the namespace.
    public let shared: Bool
    /// SHA-256 of the credential; `nil` when the partition is shared or no credential was given.
    public let credentialDigest: CacheKey?

    /// - Parameters:
    ///   - namespace: the namespace (`X-Semcache-Namespace` or the server's default).
    ///   - credential: the caller's credential as `Forwarding.credential(in:)` reads it, or `nil`; only its SHA-256 is kept.
    ///   - shared: share entries between credentials (the credential is then ignored).
    public init(namespace: String, credential: String?, shared: Bool) {
        self.namespace = namespace
        self.shared = shared
        if !shared, let credential {
            self.credentialDigest = CacheKey(digest: SHA256.hash(data: Array(credential.utf8)))
        } else {
            self.credentialDigest = nil
        }
    }

    /// Namespace and partition kind, with at most a 12-digit prefix of the credential's hash.
    public var description: String {
        if shared { return "\(namespace) (shared)" }
        guard let credentialDigest else { return "\(namespace) (no credential)" }
        return "\(namespace) (credential sha256:\(credentialDigest.prefix(12)))"
    }

    /// Feeds an unambiguous encoding of the partition into a key hash.
    func update(_ hasher: inout SHA256) {
        let namespaceBytes = Array(namespace.utf8)
        hasher.update(data: Array("namespace:\(namespaceBytes.count):".utf8))
        hasher.update(data: namespaceBytes)
        if shared {
            hasher.update(data: Array("\nshared\n".utf8))
        } else if let credentialDigest {
            hasher.update(data: Array("\ncredential:".utf8))
            hasher.update(data: credentialDigest.bytes)
            hasher.update(data: [0x0A])
        } else {
            hasher.update(data: Array("\nanonymous\n".utf8))
        }
    }
}
