import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client for sending exactly the bytes a test wants (malformed, pipelined, slow)
/// and reading HTTP/1 responses back. Every read has a timeout, so a hung server fails the test
/// instead of hanging it. Tests call it through ``offPool(_:)``: a blocked read must not hold one
/// of the few threads the in-process sidecar needs.
final class RawHTTPConnection: @unchecked Sendable {
    // @unchecked Sendable: the descriptor and buffer are used by one test task at a time.
    private let descriptor: Int32
    private var buffered: [UInt8] = []

    struct ConnectFailed: Error, CustomStringConvertible {
        var port: Int
        var code: Int32
        var description: String { "connect to 127.0.0.1:\(port) failed: errno \(code)" }
    }

    struct ReadFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// A parsed response; `closed` when the server closed the connection after it.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    init(port: Int, readTimeoutSeconds: Int = 20) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw ConnectFailed(port: port, code: code)
        }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(descriptor) }

    /// Whether a TCP connection to the port is accepted.
    static func accepts(port: Int) -> Bool {
        (try? RawHTTPConnection(port: port)) != nil
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw ReadFailed(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Closes the sending side (the server reads end of stream after what was sent).
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one response (content-length, chunked, or until the connection closes).
    func readResponse() throws -> Response {
        let headEnd = try readUntil([13, 10, 13, 10])
        let head = String(decoding: buffered[..<headEnd], as: UTF8.self)
        buffered.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ReadFailed(description: "bad status line in \(head)") }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [])
        if let length = response.header("content-length").flatMap(Int.init) {
            try fill(length)
            response.body = Array(buffered.prefix(length))
            buffered.removeFirst(length)
        } else if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            while true {
                let lineEnd = try readUntil([13, 10])
                let size = Int(String(decoding: buffered[..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                buffered.removeFirst(lineEnd + 2)
                try fill(size + 2)
                response.body += buffered.prefix(size)
                buffered.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if status != 204 && status != 304 {
            while try receive() {}
            response.body = buffered
            buffered = []
        }
        return response
    }

    /// Whether the server closed the connection (reads end of stream), waiting at most the read timeout.
    func isClosedByServer() -> Bool {
        guard buffered.isEmpty else { return false }
        return (try? receive()) == false
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var searchFrom = 0
        while true {
            if buffered.count >= marker.count {
                for index in searchFrom...(buffered.count - marker.count) where buffered[index..<index + marker.count].elementsEqual(marker) {
                    return index
                }
                searchFrom = buffered.count - marker.count + 1
            }
            guard try receive() else { throw ReadFailed(description: "connection closed before \(marker) (had \(buffered.count) bytes)") }
        }
    }

    private func fill(_ count: Int) throws {
        while buffered.count < count {
            guard try receive() else { throw ReadFailed(description: "connection closed with \(buffered.count) of \(count) bytes") }
        }
    }

    /// Reads what is available; false at end of stream.
    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw ReadFailed(description: "read timed out") }
            if errno == ECONNRESET { return false }
            throw ReadFailed(description: "recv failed: errno \(errno)")
        }
        guard count > 0 else { return false }
        buffered += chunk[..<count]
        return true
    }
}

/// Runs blocking work on a dispatch thread, not on the Swift concurrency pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
