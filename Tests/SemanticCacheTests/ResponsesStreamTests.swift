import Testing
@testable import SemanticCache

/// The Responses API stream assembler and synthesizer: round trips, the event sequence, incomplete streams.
@Suite struct ResponsesStreamTests {
    /// A completed response with every kind of output item the synthesizer treats apart.
    static let richResponse: JSONValue = [
        "id": "resp_67ccd2bed1ec8190", "object": "response", "created_at": 1741476542, "status": "completed",
        "error": nil, "incomplete_details": nil, "instructions": "Be brief.", "model": "o4-mini-2025-04-16",
        "output": [
            ["id": "rs_1", "type": "reasoning", "encrypted_content": "gAAAA",
             "summary": [["type": "summary_text", "text": "**Planning** The user wants the weather in Paris and a fact about it."]],
             "content": [["type": "reasoning_text", "text": "Think about Paris."]]],
            ["id": "ws_1", "type": "web_search_call", "status": "completed", "action": ["type": "search", "query": "Paris"]],
            ["id": "msg_1", "type": "message", "status": "completed", "role": "assistant", "content": [
                ["type": "output_text", "text": "Paris is the capital of France, on the Seine. Its population is about 2.1 million.",
                 "annotations": [["type": "url_citation", "start_index": 0, "end_index": 5, "url": "https://example.org", "title": "Paris"]],
                 "logprobs": [["token": "Paris", "logprob": -0.01, "bytes": [80, 97, 114, 105, 115], "top_logprobs": []]]],
                ["type": "refusal", "refusal": "I cannot share the other part of that."],
            ]],
            ["id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_9", "name": "get_weather",
             "arguments": #"{"location":"Paris, France","unit":"celsius"}"#],
        ],
        "parallel_tool_calls": true, "previous_response_id": nil, "store": true, "temperature": 1.0,
        "usage": ["input_tokens": 36, "input_tokens_details": ["cached_tokens": 0], "output_tokens": 87,
                  "output_tokens_details": ["reasoning_tokens": 64], "total_tokens": 123],
        "metadata": [:],
    ]

    /// Each event as (SSE event name, parsed data).
    private func events(_ bytes: [UInt8]) throws -> [(name: String, data: JSONValue)] {
        var parser = SSEParser()
        let parsed = parser.feed(bytes)
        parser.finish()
        return try parsed.map { ($0.event, try JSONValue.parse($0.data)) }
    }

    @Test func roundTripsJSONThroughTheEventStream() throws {
        let stream = try #require(ResponsesStreamSynthesizer.synthesize(Self.richResponse))
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: stream) == .complete(Self.richResponse))
    }

    @Test func emitsTheTypedEventSequenceOfTheAPI() throws {
        let stream = try #require(ResponsesStreamSynthesizer.synthesize(Self.richResponse))
        let events = try events(stream)
        #expect(events.map(\.data["sequence_number"]?.int) == events.indices.map { $0 })
        #expect(events.allSatisfy { $0.name == $0.data["type"]?.string })
        #expect(!String(decoding: stream, as: UTF8.self).contains("[DONE]"))
        let types = events.map(\.name)
        #expect(types.first == "response.created" && types[1] == "response.in_progress" && types.last == "response.completed")
        let created = try #require(events.first?.data["response"])
        #expect(created["status"] == "in_progress" && created["output"] == [] && created["usage"] == .null)
        #expect(types.filter { $0 == "response.output_item.added" }.count == 4)
        #expect(types.filter { $0 == "response.output_item.done" }.count == 4)
        for expected in [
            "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done", "response.reasoning_text.delta", "response.reasoning_text.done",
            "response.content_part.added", "response.output_text.delta", "response.output_text.annotation.added",
            "response.output_text.done", "response.refusal.delta", "response.refusal.done", "response.content_part.done",
            "response.function_call_arguments.delta", "response.function_call_arguments.done",
        ] {
            #expect(types.contains(expected), "\(expected)")
        }
        func joined(_ type: String) -> String { events.filter { $0.name == type }.compactMap(\.data["delta"]?.string).joined() }
        #expect(joined("response.output_text.delta") == Self.richResponse["output"]?[2]?["content"]?[0]?["text"]?.string)
        #expect(joined("response.function_call_arguments.delta") == Self.richResponse["output"]?[3]?["arguments"]?.string)
        #expect(joined("response.reasoning_summary_text.delta") == Self.richResponse["output"]?[0]?["summary"]?[0]?["text"]?.string)
        let openedMessage = try #require(events.first { $0.name == "response.output_item.added" && $0.data["output_index"] == 2 }?.data["item"])
        #expect(openedMessage["content"] == [] && openedMessage["status"] == "in_progress")
        let openedCall = try #require(events.first { $0.name == "response.output_item.added" && $0.data["output_index"] == 3 }?.data["item"])
        #expect(openedCall["arguments"] == "" && openedCall["call_id"] == "call_9")
    }

    @Test func assemblesAStreamAsTheAPISendsIt() throws {
        let result = StreamAssembler.assemble(endpoint: .responses, stream: Array(Self.apiStream.utf8))
        let response = try #require(result.response, "\(result)")
        #expect(response["id"] == "resp_1" && response["status"] == "completed")
        #expect(response["output"]?[0]?["content"]?[0]?["text"] == "Hi there!")
        #expect(response["usage"]?["output_tokens"] == 3)
        let again = try #require(ResponsesStreamSynthesizer.synthesize(response))
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: again) == .complete(response))
    }

    @Test func rebuildsTheOutputFromDoneItemsWhenCompletedOmitsIt() throws {
        let withoutOutput = Self.apiStream.replacingOccurrences(of: Self.completedOutput, with: "")
        #expect(withoutOutput != Self.apiStream)
        let result = StreamAssembler.assemble(endpoint: .responses, stream: Array(withoutOutput.utf8))
        let response = try #require(result.response, "\(result)")
        #expect(response["output"]?[0]?["content"]?[0]?["text"] == "Hi there!")
        let unfinished = withoutOutput.replacingOccurrences(of: Self.itemDone, with: "")
        guard case .incomplete(let reason) = StreamAssembler.assemble(endpoint: .responses, stream: Array(unfinished.utf8)) else {
            Issue.record("an item added but never done must not assemble")
            return
        }
        #expect(reason.contains("never done"))
    }

    @Test func rejectsEveryCutOfTheStream() throws {
        let stream = try #require(ResponsesStreamSynthesizer.synthesize(Self.richResponse))
        let boundaries = stream.indices.filter { $0 > 0 && stream[$0 - 1] == 0x0A && stream[$0 - 2] == 0x0A }
        #expect(boundaries.count > 20)
        for cut in boundaries {
            #expect(StreamAssembler.assemble(endpoint: .responses, stream: stream[..<cut]).response == nil, "cut at \(cut)")
        }
    }

    @Test(arguments: [
        ("response.failed", #"{"type":"response.failed","sequence_number":3,"response":{"id":"resp_1","object":"response","status":"failed","error":{"code":"server_error","message":"x"},"output":[]}}"#),
        ("response.incomplete", #"{"type":"response.incomplete","sequence_number":3,"response":{"id":"resp_1","object":"response","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[]}}"#),
        ("error", #"{"type":"error","sequence_number":3,"code":"server_error","message":"The server had an error"}"#),
    ])
    func rejectsStreamsThatEndBadly(event: String, data: String) {
        let start = Self.apiStream.components(separatedBy: "event: response.output_item.added")[0]
        let stream = start + "event: \(event)\ndata: \(data)\n\n"
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: Array(stream.utf8)).response == nil)
        // Even a response.completed after it does not make the stream storable.
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: Array((stream + Self.completedEvent).utf8)).response == nil)
    }

    @Test func rejectsStreamsOutOfOrder() {
        let noCreated = Self.apiStream.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: Array(noCreated.utf8)).response == nil)
        let extra = Self.apiStream + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":99,\"delta\":\"x\"}\n\n"
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: Array(extra.utf8)).response == nil)
        let notCompleted = Self.apiStream.replacingOccurrences(of: #""created_at":1741290958,"status":"completed""#, with: #""created_at":1741290958,"status":"incomplete""#)
        #expect(notCompleted != Self.apiStream)
        #expect(StreamAssembler.assemble(endpoint: .responses, stream: Array(notCompleted.utf8)).response == nil)
    }

    @Test func synthesizesOnlyCompletedResponses() {
        #expect(ResponsesStreamSynthesizer.synthesize(Self.richResponse.settingMember("status", to: "incomplete")) == nil)
        #expect(ResponsesStreamSynthesizer.synthesize(Self.richResponse.removingMembers(["output"])) == nil)
        #expect(ResponsesStreamSynthesizer.synthesize(Self.richResponse.settingMember("object", to: "chat.completion")) == nil)
        #expect(StreamSynthesizer.synthesize(endpoint: .responses, response: Self.richResponse, includeUsage: false) != nil)
    }

    static let completedOutput = #","output":[{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi there!"}],"role":"assistant"}]"#
    static let itemDone = """
        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":7,"output_index":0,"item":{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi there!"}],"role":"assistant"}}


        """
    static let completedEvent = """
        event: response.completed
        data: {"type":"response.completed","sequence_number":8,"response":{"id":"resp_1","object":"response","created_at":1741290958,"status":"completed","model":"gpt-4.1-2025-04-14"\(completedOutput),"usage":{"input_tokens":37,"output_tokens":3,"total_tokens":40}}}


        """
    /// The event stream of a short answer, in the API's order and shape.
    static let apiStream = """
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1741290958,"status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}

        event: response.in_progress
        data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","object":"response","created_at":1741290958,"status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}}

        event: response.content_part.added
        data: {"type":"response.content_part.added","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi there!","logprobs":[]}

        event: response.output_text.done
        data: {"type":"response.output_text.done","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"text":"Hi there!","logprobs":[]}

        event: response.content_part.done
        data: {"type":"response.content_part.done","sequence_number":6,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi there!"}}


        """ + itemDone + completedEvent
}
