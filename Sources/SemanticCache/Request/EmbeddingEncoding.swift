import Foundation

/// How an embeddings answer carries its vectors (`encoding_format`): a JSON array of numbers, or the
/// little-endian float32 bytes in base64. One stored answer serves both: ``convert(_:to:)`` rewrites
/// the vectors exactly (every float32 value is kept bit for bit).
public enum EmbeddingEncoding: String, Sendable {
    /// `"embedding": [0.0023, …]`, the API's default.
    case float
    /// `"embedding": "<base64 of float32 little-endian>"`, what the OpenAI SDKs ask for by default.
    case base64

    /// The encoding a request asks for: its `encoding_format`, `float` when absent or `null`.
    init?(request body: JSONCursor) {
        guard let format = body["encoding_format"], format.kind != .null else {
            self = .float
            return
        }
        guard let name = format.string, let encoding = Self(rawValue: name) else { return nil }
        self = encoding
    }

    /// `response` (an embeddings answer) with every `data[].embedding` in this encoding: the bytes
    /// unchanged when they already are, `nil` when the answer is not an embeddings list or a vector
    /// cannot be converted (a base64 string that is not whole float32 values, a NaN or infinity).
    public func convert(_ response: [UInt8]) -> [UInt8]? {
        guard let tape = try? JSONTape(parsing: response), let items = tape.root["data"]?.elements else { return nil }
        // Checked on the token tape, without building values: the common case is a stored answer
        // already in the encoding asked for.
        let wanted: JSONTape.Kind = self == .float ? .array : .string
        if items.allSatisfy({ $0["embedding"]?.kind == wanted }) { return response }
        let json = tape.root.value
        guard let data = json["data"]?.array else { return nil }
        var converted: [JSONValue] = []
        converted.reserveCapacity(data.count)
        for item in data {
            guard let vector = item["embedding"].flatMap(Self.floats(of:)), let encoded = encode(vector) else { return nil }
            var builder = JSONObjectBuilder(item)
            builder["embedding"] = encoded
            converted.append(builder.value)
        }
        var builder = JSONObjectBuilder(json)
        builder["data"] = .array(converted)
        return builder.value.compactBytes
    }

    /// The float32 values of a vector in either encoding.
    static func floats(of embedding: JSONValue) -> [Float]? {
        switch embedding {
        case .array(let numbers):
            var floats: [Float] = []
            floats.reserveCapacity(numbers.count)
            for number in numbers {
                guard let value = number.double else { return nil }
                floats.append(Float(value))
            }
            return floats
        case .string(let text):
            guard let bytes = Data(base64Encoded: text), bytes.count % 4 == 0 else { return nil }
            return stride(from: 0, to: bytes.count, by: 4).map { offset in
                let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[bytes.startIndex + offset + $1]) << (8 * $1) }
                return Float(bitPattern: bits)
            }
        default:
            return nil
        }
    }

    /// The vector in this encoding; floats are written as the API writes them (the shortest decimal
    /// of the float32 value widened to a double), so parsing them back gives the same float32.
    func encode(_ vector: [Float]) -> JSONValue? {
        switch self {
        case .float:
            var numbers: [JSONValue] = []
            numbers.reserveCapacity(vector.count)
            for value in vector {
                guard let number = JSONNumber(Double(value)) else { return nil }
                numbers.append(.number(number))
            }
            return .array(numbers)
        case .base64:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(vector.count * 4)
            for value in vector {
                let bits = value.bitPattern
                bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                          UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
            }
            return .string(Data(bytes).base64EncodedString())
        }
    }
}
