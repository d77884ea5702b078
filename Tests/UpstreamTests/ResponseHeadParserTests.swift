import Testing
@testable import Upstream

struct ResponseHeadParserTests {
    /// Feeds header lines as libcurl passes them (one line each, line end included).
    private func parse(_ lines: [String]) -> (status: Int, headers: [(name: String, value: String)])? {
        var parser = ResponseHeadParser()
        var head: (status: Int, headers: [(name: String, value: String)])?
        for line in lines {
            let bytes = Array(line.utf8)
            if let parsed = bytes.withUnsafeBytes({ parser.consume($0) }) { head = parsed }
        }
        return head
    }

    @Test func namesAndValuesAreTrimmedAndTheHeadEndsAtTheBlankLine() throws {
        let head = try #require(parse(["HTTP/1.1 200 OK\r\n", "Content-Type:\t text/event-stream \r\n", "X-Empty:\r\n", "\r\n"]))
        #expect(head.status == 200)
        #expect(head.headers.map(\.name) == ["Content-Type", "X-Empty"])
        #expect(head.headers.map(\.value) == ["text/event-stream", ""])
    }

    @Test func interimHeadsAreDroppedAndFoldedLinesJoined() throws {
        let head = try #require(parse([
            "HTTP/1.1 100 Continue\r\n", "\r\n",
            "HTTP/1.1 201 Created\n", "X-Long: first\n", " \tsecond \n", "\n", "Trailer: ignored\n",
        ]))
        #expect(head.status == 201)
        #expect(head.headers.count == 1)
        #expect(head.headers.first?.value == "first second")
    }

    @Test func bytesThatAreNotUTF8AreReadAsLatin1() throws {
        var parser = ResponseHeadParser()
        _ = Array("HTTP/1.1 200 OK\r\n".utf8).withUnsafeBytes { parser.consume($0) }
        _ = (Array("X-Name: caf".utf8) + [0xE9] + Array("\r\n".utf8)).withUnsafeBytes { parser.consume($0) }
        let head = try #require(Array("\r\n".utf8).withUnsafeBytes { parser.consume($0) })
        #expect(head.headers.first?.value == "café")
    }
}
