import Foundation

/// A request body read from a file, varied per request by a marker in it:
/// - `@UNIQUE@` is replaced by a token that is new on every call (every request misses);
/// - `@CASE@` is removed and the case of the next 24 letters flipped by the bits of a per-call number:
///   a new exact key but the same text for an uncased embedder (every request is a semantic lookup).
struct BodyTemplate: Sendable {
    private enum Variation { case none, unique, letterCase }

    private let before: [UInt8]
    private let after: [UInt8]
    private let variation: Variation
    /// Distinguishes this run's bodies from those of earlier runs against the same database.
    private let runNumber = UInt64.random(in: 0...UInt64.max)

    init(path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        for (marker, variation) in [("@UNIQUE@", Variation.unique), ("@CASE@", .letterCase)] {
            if let range = bytes.firstRange(of: Array(marker.utf8)) {
                before = Array(bytes[..<range.lowerBound])
                after = Array(bytes[range.upperBound...])
                self.variation = variation
                return
            }
        }
        before = bytes
        after = []
        variation = .none
    }

    /// The body for request number `sequence`.
    func body(_ sequence: Int) -> [UInt8] {
        switch variation {
        case .none:
            return before
        case .unique:
            return before + Array("[\(String(runNumber, radix: 36))-\(sequence)]".utf8) + after
        case .letterCase:
            // Never 0: that is the text as written, which is stored and would be an exact hit.
            var bits = max(1, (runNumber &+ UInt64(sequence)) & 0xFF_FFFF)
            var varied = after
            for index in varied.indices where bits != 0 {
                let byte = varied[index]
                guard (byte | 0x20) >= 0x61, (byte | 0x20) <= 0x7A else { continue }
                if bits & 1 == 1 { varied[index] = byte ^ 0x20 }
                bits >>= 1
            }
            return before + varied
        }
    }
}

/// `NAME=http://127.0.0.1:PORT/path`.
struct Target: Sendable {
    struct Invalid: Error, CustomStringConvertible { let description: String }

    let name: String
    let host: String
    let port: Int
    let path: String

    init(argument: String) throws {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let url = URLComponents(string: String(parts[1])), url.scheme == "http",
              let host = url.host, let port = url.port else {
            throw Invalid(description: "target must look like NAME=http://127.0.0.1:PORT/path, got \(argument)")
        }
        name = String(parts[0])
        self.host = host
        self.port = port
        path = url.path.isEmpty ? "/" : url.path
    }
}
