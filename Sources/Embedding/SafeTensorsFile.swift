import Foundation

/// Reads F32 tensors from a `.safetensors` file: an 8-byte little-endian header length, a JSON header
/// mapping names to `{dtype, shape, data_offsets}`, then the raw little-endian tensor data.
///
/// The header is checked against the file size up front, so a truncated or damaged file is reported
/// with its path before any weights are read; tensors are then copied straight into caller memory.
struct SafeTensorsFile: ~Copyable {
    struct TensorInfo {
        let dtype: String
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    let path: String
    private let descriptor: Int32
    private let dataStart: Int
    let tensors: [String: TensorInfo]

    init(url: URL) throws {
        path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw EmbeddingError.modelMissing(path: path) }
        do {
            (dataStart, tensors) = try Self.readHeader(fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        descriptor = fd
    }

    private static func readHeader(_ fd: Int32, path: String) throws -> (dataStart: Int, tensors: [String: TensorInfo]) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw EmbeddingError.modelDamaged(path: path, "cannot stat the file") }
        let fileSize = Int(info.st_size)
        var lengthBytes = [UInt8](repeating: 0, count: 8)
        guard readFully(fd, into: &lengthBytes, at: 0) else {
            throw EmbeddingError.modelDamaged(path: path, "shorter than the 8-byte header length")
        }
        let headerLength = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength > 1, headerLength <= 100_000_000, Int(headerLength) + 8 <= fileSize else {
            throw EmbeddingError.modelDamaged(path: path, "header length \(headerLength) does not fit a \(fileSize)-byte file")
        }
        var header = [UInt8](repeating: 0, count: Int(headerLength))
        guard readFully(fd, into: &header, at: 8) else {
            throw EmbeddingError.modelDamaged(path: path, "cannot read the \(headerLength)-byte header")
        }
        let dataStart = 8 + Int(headerLength)
        return (dataStart, try parseHeader(header, dataSize: fileSize - dataStart, path: path))
    }

    deinit { close(descriptor) }

    private static func parseHeader(_ header: [UInt8], dataSize: Int, path: String) throws -> [String: TensorInfo] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(header)) as? [String: Any] else {
            throw EmbeddingError.modelDamaged(path: path, "the header is not a JSON object")
        }
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let entry = value as? [String: Any],
                  let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int],
                  let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else {
                throw EmbeddingError.modelDamaged(path: path, "header entry \(name) lacks dtype, shape or data_offsets")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
                throw EmbeddingError.modelDamaged(
                    path: path, "tensor \(name) ends at byte \(offsets[1]) but the file holds only \(dataSize) data bytes (truncated?)")
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
        }
        return tensors
    }

    /// Copies the F32 tensor `name`, which must have exactly `shape`, to `destination`.
    func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        guard let info = tensors[name] else {
            throw EmbeddingError.modelDamaged(path: path, "tensor \(name) is missing")
        }
        guard info.dtype == "F32", info.shape == shape else {
            throw EmbeddingError.modelDamaged(
                path: path, "tensor \(name) is \(info.dtype) \(info.shape), expected F32 \(shape)")
        }
        let count = shape.reduce(1, *)
        guard info.end - info.begin == count * MemoryLayout<Float>.size else {
            throw EmbeddingError.modelDamaged(path: path, "tensor \(name) has \(info.end - info.begin) bytes for shape \(shape)")
        }
        let raw = UnsafeMutableRawBufferPointer(start: destination, count: count * MemoryLayout<Float>.size)
        guard Self.readFully(descriptor, into: raw, at: dataStart + info.begin) else {
            throw EmbeddingError.modelDamaged(path: path, "cannot read tensor \(name)")
        }
        #if _endian(big)
        for index in 0..<count { destination[index] = Float(bitPattern: UInt32(littleEndian: destination[index].bitPattern)) }
        #endif
    }

    private static func readFully(_ fd: Int32, into bytes: inout [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeMutableBytes { readFully(fd, into: $0, at: offset) }
    }

    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var done = 0
        while done < buffer.count {
            let got = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { return false }
            done += got
        }
        return true
    }
}
