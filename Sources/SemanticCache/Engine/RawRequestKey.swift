import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything a request's analysis depends on, as received: method, path, the headers that carry
/// cache directives or credentials, and the body bytes. Two requests with equal raw keys have the
/// same endpoint, directives, partition and cache keys, so the analysis of one serves the other
/// (``AnalysisMemo``).
///
/// The directive and credential headers are kept only as a SHA-256 digest over their names and
/// values in wire order (like ``CachePartition``, the raw credential is never kept). Headers that
/// differ in order, repetition or spelling of a value give different keys: only a miss in the memo,
/// never a wrong match. Equality compares the body byte for byte.
struct RawRequestKey: Hashable, Sendable {
    private let method: String
    private let path: Substring
    private let headers: CacheKey?
    private let body: [UInt8]

    /// Header names (lower case) that change the analysis: ``RequestDirectives`` and the credential
    /// headers hashed into the partition. Any other `x-semcache-` header is included too.
    private static let analysedHeaders = RequestDirectives.headerNames.map { $0.lowercased() } + Forwarding.credentialHeaders

    init(_ request: IncomingRequest) {
        method = request.method
        path = request.path
        body = request.body
        var lines: [UInt8] = []
        for header in request.headers {
            guard let name = Self.analysedName(header.name) else { continue }
            if lines.isEmpty { lines.reserveCapacity(128) }
            lines.append(contentsOf: name.utf8)
            lines.append(UInt8(ascii: ":"))
            lines.append(contentsOf: header.value.utf8)
            lines.append(UInt8(ascii: "\n"))
        }
        headers = lines.isEmpty ? nil : CacheKey(digest: SHA256.hash(data: lines))
    }

    /// The lower-case name when the header is one the analysis reads, else nil.
    private static func analysedName(_ name: String) -> String? {
        // Cheap filter first: every analysed name starts with a, c or x (either case).
        guard let first = name.utf8.first.map({ $0 | 0x20 }),
              first == UInt8(ascii: "a") || first == UInt8(ascii: "c") || first == UInt8(ascii: "x")
        else { return nil }
        if let known = analysedHeaders.first(where: { name.caseInsensitiveEquals($0) }) { return known }
        let lowered = name.lowercased()
        return lowered.hasPrefix("x-semcache-") ? lowered : nil
    }

    /// Bytes held by the key (for the memo's budget).
    var byteCount: Int { body.count + method.utf8.count + path.utf8.count + 64 }

    func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        hasher.combine(headers)
        body.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: RawRequestKey, rhs: RawRequestKey) -> Bool {
        guard lhs.headers == rhs.headers, lhs.body.count == rhs.body.count, lhs.method == rhs.method, lhs.path == rhs.path else {
            return false
        }
        return lhs.body.withUnsafeBytes { left in
            rhs.body.withUnsafeBytes { right in
                guard let leftStart = left.baseAddress, let rightStart = right.baseAddress else { return true }  // both empty
                return memcmp(leftStart, rightStart, left.count) == 0
            }
        }
    }
}
