import Foundation
import SemanticCache
import Testing

/// `POST /v1/responses` end to end: the sidecar in front of the mock upstream's Responses API.
@Suite struct ResponsesAPITests {
    static func body(_ question: String, stream: Bool = false, model: String = "gpt-4.1-mini", extra: String = "") -> String {
        #"{"model":"\#(model)","instructions":"Be brief.","stream":\#(stream),\#(extra)"input":"\#(question)"}"#
    }

    static let weatherTools = #""tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}],"#

    private func assembled(_ response: Harness.Response) -> JSONValue? {
        StreamAssembler.assemble(endpoint: .responses, stream: response.body).response
    }

    @Test func aStoredJSONAnswerIsAnExactHitAsJSONAndAsAnEventStream() async throws {
        try await Harness.with { harness in
            let first = try await harness.post("/v1/responses", json: Self.body("What is the capital of France?"))
            #expect(first.status == 200 && first.header("x-semcache") == "miss")
            #expect(first.json?["object"] == "response" && first.json?["id"]?.string?.hasPrefix("resp_") == true)
            let second = try await harness.post("/v1/responses", json: Self.body("What is the capital of France?"))
            #expect(second.header("x-semcache") == "hit-exact")
            #expect(second.json == first.json)
            let streamed = try await harness.post("/v1/responses", json: Self.body("What is the capital of France?", stream: true))
            #expect(streamed.header("x-semcache") == "hit-exact")
            #expect(streamed.header("content-type")?.hasPrefix("text/event-stream") == true)
            #expect(streamed.text.hasPrefix("event: response.created\n") && !streamed.text.contains("[DONE]"))
            #expect(assembled(streamed) == first.json)
            #expect(harness.mock.requestCount(path: "/v1/responses") == 1)
        }
    }

    @Test func aStoredStreamKeepsReasoningFunctionCallsAndUsageInBothModes() async throws {
        try await Harness.with { harness in
            let request = Self.body("What is the weather in Lyon?", stream: true, model: "o4-mini",
                                    extra: Self.weatherTools + #""reasoning":{"effort":"low","summary":"auto"},"#)
            let first = try await harness.post("/v1/responses", json: request)
            #expect(first.header("x-semcache") == "miss")
            let upstreamAnswer = try #require(assembled(first))
            let again = try await harness.post("/v1/responses", json: request)
            #expect(again.header("x-semcache") == "hit-exact")
            #expect(again.body == first.body)
            let json = try await harness.post("/v1/responses", json: request.replacingOccurrences(of: #""stream":true"#, with: #""stream":false"#))
            #expect(json.header("x-semcache") == "hit-exact")
            #expect(json.json == upstreamAnswer)
            let output = try #require(json.json?["output"]?.array)
            #expect(output.map { $0["type"]?.string } == ["reasoning", "function_call"])
            #expect(output[0]["summary"]?[0]?["text"]?.string?.contains("Lyon") == true)
            #expect(output[1]["name"] == "get_weather" && output[1]["arguments"] == #"{"location":"Lyon","unit":"celsius"}"#)
            let usage = try #require(json.json?["usage"])
            #expect(usage["input_tokens"]?.int != nil && usage["output_tokens"]?.int != nil)
            #expect(harness.mock.requestCount(path: "/v1/responses") == 1)

            let stats = try #require(try await harness.request("GET", "/_semcache/stats").json)
            #expect(stats["saved"]?["prompt_tokens"]?.int == 2 * (usage["input_tokens"]?.int ?? 0))
            #expect(stats["saved"]?["completion_tokens"]?.int == 2 * (usage["output_tokens"]?.int ?? 0))
        }
    }

    @Test func storeOffAnswersNeverServeRequestsThatMayChain() async throws {
        try await Harness.with { harness in
            let unstored = try await harness.post("/v1/responses", json: Self.body("Name a prime", extra: #""store":false,"#))
            #expect(unstored.header("x-semcache") == "miss")
            let stored = try await harness.post("/v1/responses", json: Self.body("Name a prime"))
            #expect(stored.header("x-semcache") == "miss", "a store:false answer must not answer a store:true request")
            let hit = try await harness.post("/v1/responses", json: Self.body("Name a prime", extra: #""store":true,"#))
            #expect(hit.header("x-semcache") == "hit-exact")
            let hitID = try #require(hit.json?["id"]?.string)
            let chained = try await harness.post("/v1/responses", json: Self.body("And another one?", extra: #""previous_response_id":"\#(hitID)","#))
            #expect(chained.status == 200, "\(chained.text)")
            #expect(chained.json?["previous_response_id"]?.string == hitID)
            let unstoredID = try #require(unstored.json?["id"]?.string)
            let broken = try await harness.post("/v1/responses", json: Self.body("And another one?", extra: #""previous_response_id":"\#(unstoredID)","#))
            #expect(broken.status == 400, "the upstream does not know an id made with store:false")
        }
    }

    @Test func backgroundConversationAndRandomSamplingBypass() async throws {
        try await Harness.with { harness in
            for (extra, detail) in [(#""background":true,"#, "background"), (#""conversation":"conv_1","#, "conversation"),
                                    (#""temperature":0.7,"#, "nondeterministic"), (#""top_p":0.5,"#, "nondeterministic")] {
                let before = harness.mock.requestCount(path: "/v1/responses")
                for _ in 0..<2 {
                    let response = try await harness.post("/v1/responses", json: Self.body("Plan a trip", extra: extra))
                    #expect(response.header("x-semcache") == "bypass", "\(extra)")
                    #expect(response.header("cache-status") == "semcache; fwd=bypass; detail=\(detail)")
                }
                #expect(harness.mock.requestCount(path: "/v1/responses") == before + 2)
            }
            let queued = try await harness.post("/v1/responses", json: Self.body("Plan a trip", extra: #""background":true,"#))
            #expect(queued.json?["status"] == "queued")
            let withoutTemperature = Self.body("Plan a trip", model: "gpt-5-mini")
            _ = try await harness.post("/v1/responses", json: withoutTemperature)
            #expect(try await harness.post("/v1/responses", json: withoutTemperature).header("x-semcache") == "hit-exact")
        }
    }

    @Test func retrievalDeletionAndTheOtherResponsePathsPassThroughUntouched() async throws {
        try await Harness.with { harness in
            let created = try await harness.post("/v1/responses", json: Self.body("What is the capital of Peru?"))
            let id = try #require(created.json?["id"]?.string)
            let auth = [("authorization", "Bearer sk-test-key")]
            for _ in 0..<2 {
                let retrieved = try await harness.request("GET", "/v1/responses/\(id)", headers: auth)
                #expect(retrieved.status == 200 && retrieved.json == created.json)
                #expect(retrieved.header("x-semcache") == nil && retrieved.header("cache-status") == nil)
            }
            #expect(harness.mock.requestCount(path: "/v1/responses/\(id)") == 2)
            #expect(try await harness.request("GET", "/v1/responses/resp_unknown", headers: auth).status == 404)
            for (method, path) in [("DELETE", "/v1/responses/\(id)"), ("GET", "/v1/responses/\(id)/input_items"),
                                   ("POST", "/v1/responses/\(id)/cancel"), ("POST", "/v1/responses/input_tokens")] {
                let response = try await harness.request(method, path, headers: auth + [("content-type", "application/json")], body: Array("{}".utf8))
                #expect(response.header("x-mock-echo") == "1", "\(method) \(path) must reach the upstream")
                #expect(response.header("x-semcache") == nil, "\(method) \(path)")
                #expect(response.json?["method"]?.string == method && response.json?["path"]?.string == path)
            }
        }
    }

    @Test func aParaphraseIsASemanticHitInTheSameContextOnly() async throws {
        let minilm = try SharedModel.minilm()
        try await Harness.with(configure: { $0.embedder = minilm }) { harness in
            let first = try await harness.post("/v1/responses", json: Self.body("How do I reverse a list in Python?"))
            #expect(first.header("x-semcache") == "miss")
            let paraphrase = try await harness.post("/v1/responses", json: Self.body("How can I reverse a list in Python?", stream: true))
            #expect(paraphrase.header("x-semcache") == "hit-semantic")
            #expect(assembled(paraphrase) == first.json)
            let otherInstructions = Self.body("How can I reverse a list in Python?").replacingOccurrences(of: "Be brief.", with: "Be thorough.")
            #expect(try await harness.post("/v1/responses", json: otherInstructions).header("x-semcache") == "miss")
            let asItems = #"{"model":"gpt-4.1-mini","input":[{"role":"user","content":[{"type":"input_text","text":"How do I sort a dict by value?"}]}]}"#
            _ = try await harness.post("/v1/responses", json: asItems)
            let itemParaphrase = asItems.replacingOccurrences(of: "How do I sort a dict by value?", with: "How can I sort a dict by value?")
            #expect(try await harness.post("/v1/responses", json: itemParaphrase).header("x-semcache") == "hit-semantic")
        }
    }

    @Test func theTrafficLogCarriesResponsesRecordsThatPrewarmStores() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-responses-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let writer = try TrafficLogWriter(path: log, logger: Harness.quietLogger, flushInterval: .milliseconds(5))
        let question = "Which river flows through Paris?"
        var upstreamAnswer: JSONValue?
        try await Harness.with(configure: { $0.trafficLog = writer }) { harness in
            let streamed = try await harness.post("/v1/responses", json: Self.body(question, stream: true))
            #expect(streamed.header("x-semcache") == "miss")
            upstreamAnswer = assembled(streamed)
            _ = try await harness.post("/v1/responses", json: Self.body("Plan a trip", extra: #""background":true,"#))
        }
        try await Harness.with { harness in
            let result = try await Prewarm.run([.file(log)], into: harness.sidecar.pipeline)
            #expect(result.summary.stored == 1)
            let hit = try await harness.post("/v1/responses", json: Self.body(question))
            #expect(hit.header("x-semcache") == "hit-exact")
            #expect(hit.json == upstreamAnswer && upstreamAnswer != nil)
            #expect(harness.mock.requestCount(path: "/v1/responses") == 0)
        }
    }
}
