import Foundation
import SemanticCache
import Testing

/// The real OpenAI Python SDK's Responses API client (`client.responses.create`, streaming, `client.responses.stream`)
/// pointed at the sidecar.
@Suite struct OpenAIResponsesSDKTests {
    @Test func theSDKGetsHitsInEveryModeAndChainsAHitsID() async throws {
        try await Harness.with { harness in
            let result = try await SDKClient.run("openai_responses_client.py", baseURL: harness.baseURL)
            let create = try #require(result["create"]?.array)
            #expect(create.map { $0["x_semcache"]?.string } == ["miss", "hit-exact"])
            #expect(create[0]["text"] == create[1]["text"] && create[0]["text"]?.string?.isEmpty == false)
            #expect(create[0]["id"] == create[1]["id"])

            let stream = try #require(result["stream"]?.array)
            #expect(stream.map { $0["x_semcache"]?.string } == ["miss", "hit-exact"])
            for run in stream {
                #expect(run["first"] == "response.created" && run["last"] == "response.completed" && run["sequence_ok"] == true)
                #expect(run["text"] == run["completed_text"] && run["text"]?.string?.isEmpty == false)
            }
            #expect(stream[0]["text"] == stream[1]["text"])
            #expect(result["json_over_stream"]?["x_semcache"] == "hit-exact")
            #expect(result["json_over_stream"]?["text"] == stream[0]["text"])

            for helper in ["helper_over_stream", "helper_over_json"] {
                #expect(result[helper]?["x_semcache"] == "hit-exact", "\(helper)")
                #expect(result[helper]?["deltas"] == result[helper]?["text"], "\(helper)")
            }
            #expect(result["helper_over_stream"]?["text"] == stream[0]["text"])
            #expect(result["helper_over_json"]?["text"] == create[0]["text"])

            let call = try #require(result["function_call"]?.array)
            #expect(call.map { $0["x_semcache"]?.string } == ["miss", "hit-exact"])
            #expect(call[0]["calls"]?[0]?["name"] == "get_weather" && call[0]["calls"]?[0]?["arguments"]?["location"] == "Lyon")
            #expect(call[1]["output_types"] == ["function_call"])

            let reasoning = try #require(result["no_temperature"]?.array)
            #expect(reasoning.map { $0["x_semcache"]?.string } == ["miss", "hit-exact", "hit-exact"])
            #expect(reasoning.allSatisfy { $0["output_types"] == ["reasoning", "message"] })
            #expect(reasoning[2]["text"] == reasoning[0]["text"])

            #expect(result["chained"]?["x_semcache"] == "miss")
            #expect(result["chained"]?["text"]?.string?.contains("And of Italy?") == true)
            #expect(harness.mock.requestCount(path: "/v1/responses") == 5)
        }
    }
}
