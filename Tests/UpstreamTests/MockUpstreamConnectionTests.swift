import Foundation
import MockUpstream
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.x connection handling, checked over a raw TCP socket.
@Suite(.timeLimit(.minutes(1)))
struct MockUpstreamConnectionTests {
    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() async throws {
        let server = try await MockUpstreamServer.start(.init(threads: 1))
        let requests = (1...3).map { "GET /anything/\($0) HTTP/1.1\r\nHost: mock\r\n\r\n" }.joined()
        let reply = try RawConnection(port: server.port).exchange(requests, until: { $0.components(separatedBy: "HTTP/1.1 200").count == 4 })
        try await server.stop()
        let paths = ["/anything/1", "/anything/2", "/anything/3"].map { reply.range(of: "\"path\":\"\($0)\"")?.lowerBound }
        #expect(paths.allSatisfy { $0 != nil })
        #expect(paths.compactMap { $0 }.sorted() == paths.compactMap { $0 })
        #expect(server.acceptedConnectionCount == 1)
    }

    @Test func http10RequestGetsAnHTTP10AnswerAndTheConnectionCloses() async throws {
        let server = try await MockUpstreamServer.start(.init(threads: 1))
        let reply = try RawConnection(port: server.port).exchange("GET /anything/old HTTP/1.0\r\n\r\n", until: { _ in false })
        try await server.stop()
        #expect(reply.hasPrefix("HTTP/1.0 200 OK"))
        #expect(reply.lowercased().contains("connection: close"))
        #expect(reply.contains("\"path\":\"/anything/old\""))
    }
}

/// A blocking TCP client for the tests above; reads until `done` says so or the server closes.
private struct RawConnection {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(result == 0)
    }

    func exchange(_ request: String, until done: (String) -> Bool) throws -> String {
        defer { close(descriptor) }
        let bytes = Array(request.utf8)
        try #require(send(descriptor, bytes, bytes.count, 0) == bytes.count)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(String(decoding: reply, as: UTF8.self)) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply += buffer[..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }
}
