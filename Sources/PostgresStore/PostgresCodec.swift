import NIOCore
import PostgresNIO
import Store

/// Conversions between the store's values and PostgreSQL's: byte columns travel as `bytea`
/// (`ByteBuffer`), vectors as their little-endian `Float32` bytes, like the SQLite store's.
enum PostgresCodec {
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    static func buffer(_ bytes: [UInt8]?) -> ByteBuffer? { bytes.map(buffer) }

    static func buffer(floats: [Float]?) -> ByteBuffer? {
        floats.map { floats in floats.withUnsafeBytes { ByteBuffer(bytes: $0) } }
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    static func floats(_ buffer: ByteBuffer) -> [Float] {
        buffer.withUnsafeReadableBytes { raw in
            (0..<raw.count / 4).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }

    /// Calls `body` with the buffer's readable bytes, or nil.
    static func withBytes<Result>(_ buffer: ByteBuffer?, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        guard let buffer else { return body(nil) }
        return buffer.withUnsafeReadableBytes { body($0) }
    }
}
