import Foundation

/// Embeddings computed earlier, read from the file `bench/quality/embed.py` writes
/// (`bench/quality/.cache/embeddings.bin`): little-endian `u32 count, u32 dimension`, then per text
/// `u32 byteCount`, the UTF-8 bytes, and `dimension` float32 values (L2-normalised).
struct EmbeddingCacheFile {
    private(set) var vectors: [String: [Float]] = [:]

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        var reader = ByteReader(data: data)
        let count = try reader.uint32()
        let dimension = try reader.uint32()
        vectors.reserveCapacity(Int(count))
        for _ in 0..<count {
            let text = try reader.string(byteCount: Int(try reader.uint32()))
            vectors[text] = try reader.floats(Int(dimension))
        }
    }

    /// Writes `vectors` in the same layout, so a run of the Swift embedder can be reused.
    static func write(_ vectors: [String: [Float]], to url: URL) throws {
        var data = Data()
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(UInt32(vectors.count))
        append(UInt32(vectors.first?.value.count ?? 0))
        for (text, vector) in vectors {
            let bytes = Array(text.utf8)
            append(UInt32(bytes.count))
            data.append(contentsOf: bytes)
            for value in vector { append(value.bitPattern) }
        }
        try data.write(to: url)
    }
}

private struct ByteReader {
    let data: Data
    var offset = 0

    mutating func uint32() throws -> UInt32 {
        let bytes = try take(4)
        return bytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    mutating func string(byteCount: Int) throws -> String {
        String(decoding: try take(byteCount), as: UTF8.self)
    }

    mutating func floats(_ count: Int) throws -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(Float(bitPattern: try uint32())) }
        return out
    }

    private mutating func take(_ count: Int) throws -> Data {
        guard offset + count <= data.count else {
            throw QualityError("embedding cache file is truncated at byte \(offset); regenerate it with bench/quality/embed.py")
        }
        defer { offset += count }
        return data.subdata(in: data.startIndex + offset..<data.startIndex + offset + count)
    }
}
