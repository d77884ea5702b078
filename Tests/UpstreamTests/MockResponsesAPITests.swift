import Foundation
import MockUpstream
import Testing
import Upstream

/// The mock's Responses API, parsed as a client of the real API would parse it.
@Suite(.timeLimit(.minutes(1)))
struct MockResponsesAPITests {
    private func send(_ method: String, _ path: String, _ body: [String: Any]? = nil, server: MockUpstreamServer, client: UpstreamClient) async throws -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        try await client.fetch(UpstreamRequest(
            method: method, url: server.baseURL + path, headers: [("Content-Type", "application/json")],
            body: try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []))
    }

    private func request(_ question: String, model: String = "gpt-4.1-mini", _ extra: [String: Any] = [:]) -> [String: Any] {
        ["model": model, "instructions": "Be brief.", "input": question].merging(extra) { $1 }
    }

    private func events(_ bytes: [UInt8]) throws -> [[String: Any]] {
        try serverSentEvents(bytes).map { event in
            let json = try jsonObject(Array(event.data.utf8))
            #expect(event.event == json["type"] as? String)
            return json
        }
    }

    @Test func jsonAndStreamCarryTheSameResponse() async throws {
        try await withMockUpstream { server, client in
            let json = try jsonObject(try await send("POST", "/v1/responses", request("What is the capital of France?"), server: server, client: client).body)
            #expect(json["object"] as? String == "response" && json["status"] as? String == "completed")
            #expect((json["id"] as? String)?.hasPrefix("resp_") == true)
            let output = try #require(json["output"] as? [[String: Any]])
            let content = try #require(output.first?["content"] as? [[String: Any]])
            let text = try #require(content.first?["text"] as? String)
            #expect(text.hasPrefix("Mock answer to: What is the capital of France?"))
            let usage = try #require(json["usage"] as? [String: Any])
            #expect(usage["total_tokens"] as? Int == (usage["input_tokens"] as? Int ?? 0) + (usage["output_tokens"] as? Int ?? 0))

            let streamed = try await send("POST", "/v1/responses", request("What is the capital of France?", ["stream": true]), server: server, client: client)
            let events = try events(streamed.body)
            #expect(events.map { $0["sequence_number"] as? Int } == events.indices.map { $0 })
            #expect(events.first?["type"] as? String == "response.created" && events.last?["type"] as? String == "response.completed")
            let deltas = events.filter { $0["type"] as? String == "response.output_text.delta" }.compactMap { $0["delta"] as? String }
            #expect(deltas.count > 1 && deltas.joined() == text)
            let completed = try #require(events.last?["response"] as? [String: Any])
            #expect(try JSONSerialization.data(withJSONObject: completed, options: .sortedKeys) == JSONSerialization.data(withJSONObject: json, options: .sortedKeys))
        }
    }

    @Test func reasoningModelsAndToolsShapeTheOutput() async throws {
        try await withMockUpstream { server, client in
            let tools: [[String: Any]] = [["type": "function", "name": "get_weather", "parameters": ["type": "object"]]]
            let body = request("What is the weather in Oslo?", model: "o4-mini", ["tools": tools, "reasoning": ["summary": "auto"], "stream": true])
            let events = try events(try await send("POST", "/v1/responses", body, server: server, client: client).body)
            let done = events.filter { $0["type"] as? String == "response.output_item.done" }.compactMap { $0["item"] as? [String: Any] }
            #expect(done.map { $0["type"] as? String } == ["reasoning", "function_call"])
            #expect(done.last?["arguments"] as? String == #"{"location":"Oslo","unit":"celsius"}"#)
            let argumentDeltas = events.filter { $0["type"] as? String == "response.function_call_arguments.delta" }.compactMap { $0["delta"] as? String }
            #expect(argumentDeltas.joined() == done.last?["arguments"] as? String)
            #expect(events.contains { $0["type"] as? String == "response.reasoning_summary_text.delta" })
            let plain = try jsonObject(try await send("POST", "/v1/responses", request("Hello", model: "gpt-4.1"), server: server, client: client).body)
            #expect((plain["output"] as? [[String: Any]])?.map { $0["type"] as? String } == ["message"])
        }
    }

    @Test func storedResponsesCanBeRetrievedAndChained() async throws {
        try await withMockUpstream { server, client in
            let created = try jsonObject(try await send("POST", "/v1/responses", request("Remember 7"), server: server, client: client).body)
            let id = try #require(created["id"] as? String)
            let retrieved = try await send("GET", "/v1/responses/\(id)", server: server, client: client)
            #expect(retrieved.status == 200)
            #expect(try jsonObject(retrieved.body)["id"] as? String == id)
            let chained = try await send("POST", "/v1/responses", request("Which number?", ["previous_response_id": id]), server: server, client: client)
            #expect(chained.status == 200)
            let unstored = try jsonObject(try await send("POST", "/v1/responses", request("Remember 8", ["store": false]), server: server, client: client).body)
            let unstoredID = try #require(unstored["id"] as? String)
            #expect(try await send("GET", "/v1/responses/\(unstoredID)", server: server, client: client).status == 404)
            let broken = try await send("POST", "/v1/responses", request("Which number?", ["previous_response_id": unstoredID]), server: server, client: client)
            #expect(broken.status == 400)
            let queued = try jsonObject(try await send("POST", "/v1/responses", request("Later", ["background": true]), server: server, client: client).body)
            #expect(queued["status"] as? String == "queued" && (queued["output"] as? [Any])?.isEmpty == true)
        }
    }
}
