/// Per-request cache controls, read from the request headers.
///
/// | Header | Effect |
/// | --- | --- |
/// | `Cache-Control: no-cache` | skip the lookup, still store the fresh answer |
/// | `Cache-Control: no-store` | do not store the answer |
/// | `Cache-Control: max-age=N` | accept only entries at most N seconds old |
/// | `X-Semcache-Mode: exact\|semantic\|off` | restrict lookups (off = no lookup, no store) |
/// | `X-Semcache-Threshold: 0…1` | minimum cosine similarity for a semantic hit |
/// | `X-Semcache-Namespace: name` | cache partition (1–128 visible ASCII characters) |
/// | `X-Semcache-TTL: N` | keep the stored answer N seconds (1 … 2147483647) |
/// | `X-Semcache-Nondeterministic: cache\|bypass` | cache a request that asks for randomness, or bypass one the rule would cache |
///
/// Header names are case-insensitive. `Cache-Control` is parsed leniently as RFC 9111 asks: several headers
/// and comma-separated lists are merged, unknown directives and malformed values are ignored. An invalid
/// value of an `X-Semcache-*` header throws ``DirectiveError`` (the server answers 400). A semcache header
/// repeated with different values is invalid too.
public struct RequestDirectives: Sendable, Equatable {
    /// `Cache-Control: no-cache`: do not answer from the cache, but store the upstream's answer.
    public var noCache = false
    /// `Cache-Control: no-store`: do not store the upstream's answer.
    public var noStore = false
    /// `Cache-Control: max-age=N`: the oldest entry (in seconds) the caller accepts.
    public var maxAge: Int?
    /// `X-Semcache-Mode`, or `nil` for the server's default.
    public var mode: CacheMode?
    /// `X-Semcache-Threshold`, or `nil` for the server's default.
    public var threshold: Double?
    /// `X-Semcache-Namespace`, or `nil` for the server's default.
    public var namespace: String?
    /// `X-Semcache-TTL` in seconds, or `nil` for the server's default.
    public var ttl: Int?
    /// `X-Semcache-Nondeterministic`, or `nil` for the cacheability rule (``SamplingPolicy``) and the server's flag.
    public var nondeterministic: NondeterministicOverride?

    /// The header names this type reads, in canonical spelling.
    public static let headerNames = ["Cache-Control", "X-Semcache-Mode", "X-Semcache-Threshold", "X-Semcache-Namespace", "X-Semcache-TTL",
                                             "X-Semcache-Nondeterministic"]

    /// No directives: the server's defaults apply.
    public init() {}

    /// Reads the directives from request headers (name, value) in any order and case.
    public init(headers: [(String, String)]) throws(DirectiveError) {
        var semcacheValues: [String: String] = [:]
        for (name, rawValue) in headers {
            let value = rawValue.trimmingOWS()
            let lowered = name.lowercased()
            if lowered == "cache-control" {
                applyCacheControl(value)
                continue
            }
            guard let canonicalName = Self.headerNames.first(where: { $0.lowercased() == lowered }) else { continue }
            if let previous = semcacheValues[canonicalName], previous != value {
                throw DirectiveError(header: canonicalName, value: value, allowed: "a single value (it was also sent as '\(previous)')")
            }
            semcacheValues[canonicalName] = value
        }
        for (name, value) in semcacheValues {
            try applySemcacheHeader(name, value)
        }
    }

    private mutating func applySemcacheHeader(_ name: String, _ value: String) throws(DirectiveError) {
        switch name {
        case "X-Semcache-Mode":
            guard let mode = CacheMode(rawValue: value.lowercased()) else {
                throw DirectiveError(header: name, value: value, allowed: CacheMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.mode = mode
        case "X-Semcache-Threshold":
            guard let threshold = Self.parseUnitInterval(value) else {
                throw DirectiveError(header: name, value: value, allowed: "a decimal number from 0 to 1, such as 0.9")
            }
            self.threshold = threshold
        case "X-Semcache-Namespace":
            let visibleASCII = value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
            guard (1...128).contains(value.utf8.count), visibleASCII else {
                throw DirectiveError(header: name, value: value, allowed: "1 to 128 visible ASCII characters (no spaces)")
            }
            self.namespace = value
        case "X-Semcache-Nondeterministic":
            guard let override = NondeterministicOverride(rawValue: value.lowercased()) else {
                throw DirectiveError(header: name, value: value, allowed: NondeterministicOverride.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.nondeterministic = override
        default:  // X-Semcache-TTL
            guard let seconds = Self.parseDigits(value), seconds >= 1, seconds <= Int(Int32.max) else {
                throw DirectiveError(header: name, value: value, allowed: "a whole number of seconds from 1 to 2147483647")
            }
            self.ttl = seconds
        }
    }

    private mutating func applyCacheControl(_ value: String) {
        for directive in Self.splitList(value) {
            let parts = directive.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingOWS().lowercased()
            switch name {
            case "no-cache": noCache = true
            case "no-store": noStore = true
            case "max-age":
                guard parts.count == 2 else { continue }
                var argument = parts[1].trimmingOWS()
                if argument.count >= 2, argument.hasPrefix("\""), argument.hasSuffix("\"") {
                    argument = String(argument.dropFirst().dropLast())
                }
                guard argument.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), !argument.isEmpty else { continue }
                // RFC 9111 §1.2.2: a delta-seconds too large to represent counts as 2147483648.
                let seconds = Self.parseDigits(argument) ?? Int(Int32.max) + 1
                maxAge = min(maxAge ?? Int.max, min(seconds, Int(Int32.max) + 1))
            default:
                continue
            }
        }
    }

    /// Splits a comma-separated header list, keeping commas inside quoted strings.
    private static func splitList(_ value: String) -> [String] {
        var items: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in value {
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == "," && !inQuotes {
                items.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        items.append(current)
        return items.filter { !$0.trimmingOWS().isEmpty }
    }

    /// Digits only (no sign, no spaces); `nil` if not digits or too large for `Int`.
    private static func parseDigits(_ value: String) -> Int? {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(value)
    }

    /// Accepts `0`, `1`, `0.85`, `1.0`; rejects `.5`, `1.`, exponents, signs, `nan` and `inf`.
    private static func parseUnitInterval(_ value: String) -> Double? {
        let parts = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let number = Double(value), number >= 0, number <= 1
        else { return nil }
        return number
    }
}

extension StringProtocol {
    /// Without leading and trailing optional whitespace (space and tab, RFC 9110 §5.6.3).
    func trimmingOWS() -> String {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isOWS($0) }), let last = lastIndex(where: { !isOWS($0) }) else { return "" }
        return String(self[first...last])
    }
}
