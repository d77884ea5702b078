/// A log to read: a file, or bytes already in memory (a request body sent to the admin endpoint).
public struct PrewarmInput: Sendable {
    /// The name used in messages: the path, or the name given with the bytes.
    public let name: String
    let storage: Storage

    enum Storage: Sendable {
        case file(path: String)
        case bytes([UInt8])
    }

    /// A file on disk, read in chunks (never loaded whole).
    public static func file(_ path: String) -> PrewarmInput {
        PrewarmInput(name: path, storage: .file(path: path))
    }

    /// Bytes in memory, named `name` in messages.
    public static func bytes(_ bytes: [UInt8], name: String) -> PrewarmInput {
        PrewarmInput(name: name, storage: .bytes(bytes))
    }

    /// Opens the input for reading.
    func open() throws(PrewarmReadError) -> ByteReader {
        switch storage {
        case .file(let path): try FileByteReader(path: path, name: name)
        case .bytes(let bytes): MemoryByteReader(bytes: bytes, name: name)
        }
    }
}

/// Sequential chunked reading plus reads at an offset, over a file or memory.
protocol ByteReader: AnyObject {
    var name: String { get }
    /// Total size in bytes, when known.
    var size: Int64? { get }
    /// The next chunk, or an empty array at the end.
    func readChunk() throws(PrewarmReadError) -> [UInt8]
    /// `count` bytes at `offset` (fewer at the end), without moving the sequential position.
    func read(at offset: Int64, count: Int) throws(PrewarmReadError) -> [UInt8]
}

extension ByteReader {
    /// The first `count` bytes (fewer for a shorter input).
    func prefix(_ count: Int) throws(PrewarmReadError) -> [UInt8] {
        try read(at: 0, count: count)
    }
}
