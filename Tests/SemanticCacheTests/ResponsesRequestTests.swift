import Testing
@testable import SemanticCache

private let alice = CachePartition(namespace: "", credential: "Bearer sk-alice", shared: false)

private func analyse(_ body: String) throws(RequestAnalysisError) -> CacheRequest {
    try CacheRequest.analyse(endpoint: .responses, body: Array(body.utf8), partition: alice)
}

private func responses(_ extra: String = "", input: String = #""What is the capital of France?""#) -> String {
    #"{"model":"gpt-4.1","instructions":"Be brief.","input":\#(input)\#(extra)}"#
}

/// `POST /v1/responses` requests: keys, context, semantic text, `store`, the sampling rule and the fields that are never cached.
@Suite struct ResponsesRequestTests {
    @Test(arguments: [
        (#""What is the capital of France?""#, "What is the capital of France?"),
        (#"[{"role":"user","content":"Bonjour"}]"#, "Bonjour"),
        (#"[{"type":"message","role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_text","text":"b"}]}]"#, "a\nb"),
        (#"[{"role":"user","content":"first"},{"role":"assistant","content":"reply"},{"role":"user","content":"second"}]"#, "second"),
        (#"[{"role":"user","content":[{"type":"input_text","text":"x"},{"type":"input_image","image_url":"https://e.org/a.png"}]}]"#, nil),
        (#"[{"role":"user","content":"q"},{"type":"function_call_output","call_id":"c","output":"22"}]"#, nil),
        (#"[{"role":"assistant","content":"The answer is"}]"#, nil),
        (#"[{"type":"item_reference","role":"user","id":"msg_1"}]"#, nil),
        (#"[{"role":"user","content":[{"type":"text","text":"chat-style part"}]}]"#, nil),
        (#""   ""#, nil),
        ("[]", nil),
    ] as [(String, String?)])
    func newestUserTextComesFromTheInput(input: String, expected: String?) throws {
        let request = try analyse(responses(input: input))
        #expect(request.semanticText == expected)
        #expect((request.contextKey != nil) == (expected != nil))
    }

    @Test func contextKeepsEverythingButTheNewestUserText() throws {
        let base = try analyse(responses())
        #expect(try analyse(responses(input: #""Where is Paris?""#)).contextKey == base.contextKey)
        #expect(try analyse(responses(input: #""Where is Paris?""#)).exactKey != base.exactKey)
        for changed in [
            #"{"model":"gpt-4.1","instructions":"Be verbose.","input":"What is the capital of France?"}"#,
            #"{"model":"gpt-4o","instructions":"Be brief.","input":"What is the capital of France?"}"#,
            responses(#","tools":[{"type":"function","name":"get_weather","parameters":{}}]"#),
            responses(#","text":{"format":{"type":"json_object"}}"#),
            responses(#","reasoning":{"effort":"high"}"#),
            responses(#","previous_response_id":"resp_1""#),
            responses(#","include":["message.output_text.logprobs"]"#),
            responses(#","truncation":"auto""#),
            responses(#","max_output_tokens":50"#),
            responses(#","parallel_tool_calls":false"#),
            responses(input: #"[{"role":"user","content":"What is the capital of France?"}]"#),
            responses(input: #"[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"What is the capital of France?"}]"#),
            responses(#","store":false"#),
        ] {
            let other = try analyse(changed)
            #expect(other.contextKey != base.contextKey, "\(changed)")
            #expect(other.exactKey != base.exactKey, "\(changed)")
        }
    }

    @Test func transportAndTaggingFieldsAreIgnored() throws {
        let base = try analyse(responses())
        for same in [
            responses(#","stream":true,"stream_options":{"include_obfuscation":false}"#),
            responses(#","user":"u1","safety_identifier":"h","metadata":{"run":"7"},"service_tier":"flex""#),
            responses(#","prompt_cache_key":"k","prompt_cache_retention":"24h""#),
            responses(#","store":true"#), responses(#","store":null"#),
        ] {
            #expect(try analyse(same).exactKey == base.exactKey, "\(same)")
        }
        #expect(throws: RequestAnalysisError.self) { try analyse(responses(#","store":"yes""#)) }
    }

    @Test func storeOffIsKeyedApartFromStoreOn() throws {
        let stored = try analyse(responses())
        let unstored = try analyse(responses(#","store":false"#))
        #expect(stored.exactKey != unstored.exactKey)
        #expect(try analyse(responses(#","store":false,"metadata":{"a":"b"}"#)).exactKey == unstored.exactKey)
        // The same request to another endpoint never shares a key.
        let embeddings = try CacheRequest.analyse(endpoint: .embeddings, body: Array(responses().utf8), partition: alice)
        #expect(embeddings.exactKey != stored.exactKey)
    }

    @Test(arguments: [
        ("", true), (#","temperature":0"#, true), (#","temperature":null"#, true), (#","temperature":0.7"#, false),
        (#","temperature":"0""#, false), (#","top_p":0.9"#, false), (#","top_p":1"#, true), (#","temperature":0,"top_p":0.5"#, true),
        (#","temperature":null,"top_p":0.5"#, false), (#","reasoning":{"effort":"low"}"#, true),
    ])
    func followsTheSamplingRule(extra: String, deterministic: Bool) throws {
        #expect(try analyse(responses(extra)).asksForRandomness == !deterministic)
    }

    @Test func backgroundAndConversationChangeUpstreamState() throws {
        #expect(try analyse(responses()).serverSideEffect == nil)
        #expect(try analyse(responses(#","background":false"#)).serverSideEffect == nil)
        #expect(try analyse(responses(#","background":true"#)).serverSideEffect == .background)
        #expect(try analyse(responses(#","conversation":"conv_1""#)).serverSideEffect == .conversation)
        #expect(try analyse(responses(#","conversation":{"id":"conv_1"}"#)).serverSideEffect == .conversation)
        #expect(try analyse(responses(#","conversation":null"#)).serverSideEffect == nil)
        #expect(throws: RequestAnalysisError.self) { try analyse(responses(#","background":"yes""#)) }
        #expect(throws: RequestAnalysisError.self) { try analyse(responses(#","conversation":7"#)) }
    }

    @Test func malformedBodiesAreNotAnalysed() throws {
        for body in [#"{"input":"x"}"#, #"{"model":"m","input":7}"#, #"{"model":"m","input":{"role":"user"}}"#, "[]", #"{"model":"m","input":"x""#] {
            #expect(throws: RequestAnalysisError.self, "\(body)") { try analyse(body) }
        }
        #expect(try analyse(#"{"model":"m","prompt":{"id":"pmpt_1"}}"#).semanticText == nil)
    }
}

/// Prewarm and the traffic log carry Responses API records: named by path, or told from embeddings by their shape.
@Suite struct ResponsesRecordTests {
    private func answer(_ body: String, stream: Bool = false) -> RecordedAnswer {
        RecordedAnswer(status: 200, body: Array(body.utf8), isStream: stream)
    }

    @Test func recordsAreMatchedByPathOrInferredFromTheirShape() throws {
        #expect(RecordedEndpoint.match(pathOrURL: "https://gateway.example.com/openai/v1/responses?x=1") == .responses)
        let input = try JSONValue.parse(#"{"model":"gpt-4.1","input":"Hi"}"#)
        #expect(RecordedEndpoint.infer(request: input, answer: answer(#"{"id":"resp_1","object":"response","status":"completed","output":[]}"#)) == .responses)
        #expect(RecordedEndpoint.infer(request: input, answer: answer("event: response.created\ndata: {}\n\n", stream: true)) == .responses)
        #expect(RecordedEndpoint.infer(request: input, answer: answer(#"{"object":"list","data":[]}"#)) == .embeddings)
        #expect(RecordedEndpoint.infer(request: input, answer: nil) == .embeddings)
        let items = try JSONValue.parse(#"{"model":"gpt-4.1","input":[{"role":"user","content":"Hi"}]}"#)
        #expect(RecordedEndpoint.infer(request: items, answer: nil) == .responses)
        let instructed = try JSONValue.parse(#"{"model":"gpt-4.1","instructions":"Be brief.","input":"Hi"}"#)
        #expect(RecordedEndpoint.infer(request: instructed, answer: nil) == .responses)
    }
}
