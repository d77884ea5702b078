#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in 256 KiB chunks through one file descriptor, closed when the reader goes away.
final class FileByteReader: ByteReader {
    static let chunkSize = 256 << 10

    let name: String
    let size: Int64?
    private let descriptor: Int32

    init(path: String, name: String) throws(PrewarmReadError) {
        self.name = name
        descriptor = systemOpen(path)
        guard descriptor >= 0 else { throw .cannotOpen(name, errno: errno) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            size = Int64(status.st_size)
        } else {
            size = nil
        }
    }

    deinit { systemClose(descriptor) }

    func readChunk() throws(PrewarmReadError) -> [UInt8] {
        try transfer(count: Self.chunkSize) { buffer in systemRead(descriptor, buffer) }
    }

    func read(at offset: Int64, count: Int) throws(PrewarmReadError) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            let part = try transfer(count: count - result.count) { buffer in
                pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset) + off_t(result.count))
            }
            if part.isEmpty { break }
            result += part
        }
        return result
    }

    /// One `read`/`pread` call into a fresh buffer, retried on `EINTR`.
    private func transfer(count: Int, _ call: (UnsafeMutableRawBufferPointer) -> Int) throws(PrewarmReadError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while true {
                let got = call(UnsafeMutableRawBufferPointer(buffer))
                if got >= 0 {
                    initialized = got
                    return
                }
                if errno != EINTR {
                    failure = errno
                    initialized = 0
                    return
                }
            }
        }
        guard failure == 0 else { throw .readFailed(name, errno: failure) }
        return bytes
    }
}

// Top-level wrappers: inside the class, `open`, `read` and `close` would resolve to its own members.
private func systemOpen(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}
private func systemClose(_ descriptor: Int32) { _ = close(descriptor) }

/// Serves bytes already in memory as if they were a file.
final class MemoryByteReader: ByteReader {
    let name: String
    private let bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8], name: String) {
        self.name = name
        self.bytes = bytes
    }

    var size: Int64? { Int64(bytes.count) }

    func readChunk() -> [UInt8] {
        let end = min(bytes.count, position + FileByteReader.chunkSize)
        defer { position = end }
        return Array(bytes[position..<end])
    }

    func read(at offset: Int64, count: Int) -> [UInt8] {
        let start = Int(min(max(offset, 0), Int64(bytes.count)))
        return Array(bytes[start..<min(bytes.count, start + count)])
    }
}
