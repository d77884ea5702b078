import Testing
@testable import SemanticCache

@Suite struct SSEParserTests {
    private func parse(_ text: String) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.feed(Array(text.utf8))
    }

    @Test func dispatchesOnBlankLines() {
        #expect(parse("data: hello\n\n") == [SSEEvent(data: "hello")])
        #expect(parse("data: a\n\ndata: b\n\n") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(parse("data: no blank line yet\n").isEmpty)
    }

    @Test func joinsDataLinesWithNewlines() {
        #expect(parse("data: one\ndata: two\ndata:three\n\n") == [SSEEvent(data: "one\ntwo\nthree")])
        #expect(parse("data\n\n") == [SSEEvent(data: "")])
        #expect(parse("data:\ndata:\n\n") == [SSEEvent(data: "\n")])
    }

    @Test func removesOnlyOneSpaceAfterTheColon() {
        #expect(parse("data:  two spaces\n\n") == [SSEEvent(data: " two spaces")])
        #expect(parse("data:x:y\n\n") == [SSEEvent(data: "x:y")])
    }

    @Test func eventTypesIdsAndRetry() {
        var parser = SSEParser()
        let events = parser.feed(Array("event: message_start\nid: 7\nretry: 1500\ndata: {}\n\ndata: next\n\nid\ndata: cleared\n\n".utf8))
        #expect(events == [
            SSEEvent(event: "message_start", data: "{}", id: "7"),
            SSEEvent(event: "message", data: "next", id: "7"),
            SSEEvent(event: "message", data: "cleared", id: ""),
        ])
        #expect(parser.reconnectionTime == 1500)
        #expect(parser.lastEventID == "")
        _ = parser.feed(Array("retry: 1.5\nretry: x\nretry:\nid: a\u{0}b\n\n".utf8))
        #expect(parser.reconnectionTime == 1500)
        #expect(parser.lastEventID == "")
    }

    @Test func ignoresCommentsUnknownFieldsAndEventsWithoutData() {
        #expect(parse(": keep-alive\n\n").isEmpty)
        #expect(parse(":comment\nfoo: bar\ndata: x\n\n") == [SSEEvent(data: "x")])
        #expect(parse("event: ping\n\ndata: after\n\n") == [SSEEvent(data: "after")])  // event type reset with the empty event
        #expect(parse("Data: case matters\n\n").isEmpty)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func acceptsEveryLineEnding(end: String) {
        let text = "event: e\(end)data: a\(end)data: b\(end)\(end)data: c\(end)\(end)"
        #expect(parse(text) == [SSEEvent(event: "e", data: "a\nb"), SSEEvent(data: "c")])
    }

    @Test func chunkBoundariesAnywhereGiveTheSameEvents() {
        let text = "\u{FEFF}event: x\r\ndata: héllo 😀\r\rdata: two\r\ndata: lines\n\n: c\r\n\r\nid: 9\ndata: end\r\n\r\n"
        let bytes = Array(text.utf8)
        let expected = parse(text)
        #expect(expected.count == 3)
        for split in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            #expect(events == expected, "split at \(split)")
        }
        var byteByByte = SSEParser()
        #expect(bytes.flatMap { byteByByte.feed([$0]) } == expected)
    }

    @Test func crlfSplitAcrossChunksIsOneLineEnd() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: a\r".utf8)).isEmpty)
        #expect(parser.feed(Array("\n".utf8)).isEmpty)  // the \n completes "\r\n", it is not a blank line
        #expect(parser.feed(Array("\r\n".utf8)) == [SSEEvent(data: "a")])
    }

    @Test func skipsAByteOrderMarkOnlyAtTheStart() {
        #expect(parse("\u{FEFF}data: x\n\n") == [SSEEvent(data: "x")])
        #expect(parse("data: x\n\n\u{FEFF}data: y\n\n") == [SSEEvent(data: "x")])  // "\u{FEFF}data" is an unknown field
        var parser = SSEParser()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(parser.feed(bom[..<1]).isEmpty)
        #expect(parser.feed(bom[1...] + Array("data: z\n\n".utf8)) == [SSEEvent(data: "z")])
    }

    @Test func decodesInvalidUTF8WithReplacementCharacters() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: a".utf8) + [0xFF] + Array("b\n\n".utf8)) == [SSEEvent(data: "a\u{FFFD}b")])
    }

    @Test func finishDiscardsAnIncompleteEvent() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: complete\n\ndata: partial\n".utf8)) == [SSEEvent(data: "complete")])
        let ended = parser.finish()
        #expect(!ended)
        var clean = SSEParser()
        _ = clean.feed(Array("data: x\n\n".utf8))
        let cleanEnd = clean.finish()
        #expect(cleanEnd)
        var midLine = SSEParser()
        _ = midLine.feed(Array("data: x".utf8))
        let midLineEnd = midLine.finish()
        #expect(!midLineEnd)
    }

    @Test func oversizedEventsStopTheParser() {
        var parser = SSEParser(maxEventBytes: 64)
        let small = Array("data: ok\n\n".utf8)
        let big = Array(("data: " + String(repeating: "x", count: 100) + "\n\n").utf8)
        #expect(parser.feed(small + big) == [SSEEvent(data: "ok")])
        #expect(parser.failure == SSEParseError(limit: 64))
        #expect(parser.feed(small).isEmpty)
        let failedEnd = parser.finish()
        #expect(!failedEnd)
        // Many data lines that together exceed the limit count too.
        var lines = SSEParser(maxEventBytes: 64)
        _ = lines.feed(Array(String(repeating: "data: 0123456789\n", count: 10).utf8))
        #expect(lines.failure != nil)
        #expect(parser.failure?.description.contains("64 bytes") == true)
    }
}
