import Crypto

/// A 32-byte SHA-256 digest that identifies a cached request (exact key) or a request context (context key).
///
/// Stored inline (four words, no heap allocation), so it is cheap to hash and compare in lookup tables.
public struct CacheKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    private let word0: UInt64
    private let word1: UInt64
    private let word2: UInt64
    private let word3: UInt64

    /// Creates a key from exactly 32 bytes, or `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.init(exactly32: Array(bytes))
    }

    private init(exactly32 array: [UInt8]) {
        func word(_ start: Int) -> UInt64 {
            array[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        (word0, word1, word2, word3) = (word(0), word(8), word(16), word(24))
    }

    /// Parses 64 hexadecimal digits (either case), or returns `nil`.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for pair in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.hexValue(digits[pair]), let low = Self.hexValue(digits[pair + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(exactly32: bytes)
    }

    /// The key of a SHA-256 digest (always 32 bytes).
    init(digest: SHA256.Digest) {
        self.init(exactly32: Array(digest))
    }

    /// The 32 bytes, big-endian as produced by SHA-256.
    public var bytes: [UInt8] {
        [word0, word1, word2, word3].flatMap { word in (0..<8).reversed().map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }
    }

    /// 64 lower-case hexadecimal digits.
    public var hex: String { hexDigits(64) }

    /// The first `length` hexadecimal digits (clamped to 0...64), for logs and short identifiers.
    public func prefix(_ length: Int) -> String {
        hexDigits(max(0, min(64, length)))
    }

    /// The first `count` (0...64) lower-case hexadecimal digits, written straight into the string.
    private func hexDigits(_ count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { output in
            for index in 0..<count {
                let word = switch index / 16 {
                case 0: word0
                case 1: word1
                case 2: word2
                default: word3
                }
                let nibble = UInt8(truncatingIfNeeded: word >> UInt64((15 - index % 16) * 4)) & 0x0F
                output[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return count
        }
    }

    public var description: String { hex }

    public static func < (lhs: CacheKey, rhs: CacheKey) -> Bool {
        (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }
}
