import Foundation

/// One blocking keep-alive HTTP/1.1 connection over a loopback TCP socket: just enough client to time
/// a request (first body byte and complete response) without a library's overhead in the numbers.
final class HTTPConnection {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        /// Seconds from the first byte sent to the first body byte received (the head, for an empty body).
        var firstByte: Double
        /// Seconds from the first byte sent to the last byte of the response.
        var total: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let socket: Int32
    private let host: String
    private var buffer: [UInt8] = []
    private var readIndex = 0

    init(host: String, port: Int) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure(description: "cannot connect to \(host):\(port): errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.socket = socket
        self.host = "\(host):\(port)"
    }

    deinit { close(socket) }

    /// Sends one POST and reads the whole response (content-length or chunked).
    func post(path: String, headers: [(String, String)], body: [UInt8]) throws -> Response {
        var head = "POST \(path) HTTP/1.1\r\nhost: \(host)\r\ncontent-length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        let start = DispatchTime.now().uptimeNanoseconds
        try send(request)
        let (status, responseHeaders) = try readHead()
        var firstByte = seconds(since: start)
        var responseBody: [UInt8] = []
        if responseHeaders["transfer-encoding"]?.lowercased().contains("chunked") == true {
            var first = true
            while true {
                let size = try readChunkSize()
                if first, size > 0 { firstByte = seconds(since: start); first = false }
                if size == 0 { _ = try readLine(); break }
                responseBody += try readBytes(size)
                _ = try readLine()
            }
        } else if let length = responseHeaders["content-length"].flatMap(Int.init) {
            if length > 0 {
                try fill(1)
                firstByte = seconds(since: start)
                responseBody = try readBytes(length)
            }
        } else {
            throw Failure(description: "response without content-length or chunked coding")
        }
        compact()
        return Response(status: status, headers: responseHeaders, body: responseBody, firstByte: firstByte, total: seconds(since: start))
    }

    private func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads until at least `count` unread bytes are buffered.
    private func fill(_ count: Int) throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while buffer.count - readIndex < count {
            let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { throw Failure(description: "connection closed by the server (errno \(errno))") }
            buffer += chunk[0..<received]
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        try fill(count)
        defer { readIndex += count }
        return Array(buffer[readIndex..<(readIndex + count)])
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer[readIndex...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[readIndex..<end]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                readIndex = end + 1
                return String(decoding: line, as: UTF8.self)
            }
            try fill(buffer.count - readIndex + 1)
        }
    }

    private func readHead() throws -> (Int, [String: String]) {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line: \(statusLine)") }
        var headers: [String: String] = [:]
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    private func readChunkSize() throws -> Int {
        let line = try readLine()
        let hex = line.split(separator: ";").first.map(String.init) ?? line
        guard let size = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16) else { throw Failure(description: "bad chunk size: \(line)") }
        return size
    }

    private func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
    }
}
