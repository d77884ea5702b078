import Store
import Testing

@testable import SemanticCache

/// Reading answers from every endpoint's bodies, and the comparator's decisions.
@Suite struct AnswerComparatorTests {
    let comparator = AnswerComparator.standard

    private func chat(_ content: String?, tools: [(String, String)] = []) -> [UInt8] {
        let calls = tools.map { #"{"id":"call_1","type":"function","function":{"name":"\#($0.0)","arguments":\#(JSONValue.string($0.1))}}"# }
        let message = content.map { #""content":\#(JSONValue.string($0))"# } ?? #""content":null"#
        let toolCalls = tools.isEmpty ? "" : #","tool_calls":[\#(calls.joined(separator: ","))]"#
        return Array(#"{"id":"x","choices":[{"index":0,"message":{"role":"assistant",\#(message)\#(toolCalls)}}],"usage":{"prompt_tokens":3}}"#.utf8)
    }

    private func content(_ body: [UInt8], _ endpoint: CacheEndpoint = .chatCompletions, kind: ResponseKind = .json) throws -> AnswerContent {
        try #require(AnswerContent(body: body, kind: kind, endpoint: endpoint))
    }

    @Test func readsTextAndToolCallsOfEachEndpoint() throws {
        let chatAnswer = try content(chat(nil, tools: [("get_weather", #"{"city":"Paris","unit":"c"}"#)]))
        #expect(chatAnswer.text.isEmpty)
        #expect(chatAnswer.toolCalls == [AnswerContent.ToolCall(name: "get_weather", arguments: ["city": "Paris", "unit": "c"])])

        let anthropic = try content(Array(#"{"content":[{"type":"text","text":"Hi"},{"type":"tool_use","id":"t","name":"f","input":{"a":1}}]}"#.utf8), .anthropicMessages)
        #expect(anthropic == AnswerContent(text: "Hi", toolCalls: [.init(name: "f", arguments: ["a": 1])]))

        let responses = try content(Array(#"{"output":[{"type":"message","content":[{"type":"output_text","text":"Yes"}]},{"type":"function_call","name":"g","arguments":"{}"}]}"#.utf8), .responses)
        #expect(responses == AnswerContent(text: "Yes", toolCalls: [.init(name: "g", arguments: [:])]))

        let completion = try content(Array(#"{"choices":[{"text":"one"},{"text":"two"}]}"#.utf8), .completions)
        #expect(completion.text == "one\n\ntwo")

        let stream = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n"
        #expect(try content(Array(stream.utf8), kind: .sse).text == "Hello")

        #expect(AnswerContent(body: Array(#"{"data":[{"embedding":[0.1]}]}"#.utf8), kind: .json, endpoint: .embeddings) == nil)
        #expect(AnswerContent(body: Array("not json".utf8), kind: .json, endpoint: .chatCompletions) == nil)
    }

    @Test func theSameAnswerAgreesWhateverItsSpacingAndArgumentOrder() throws {
        #expect(comparator.compare(served: try content(chat("Use  reversed(x).\n")), fresh: try content(chat("Use reversed(x).")))
            == .decided(.agree("same answer")))
        let a = try content(chat(nil, tools: [("f", #"{"a":1,"b":[1,2]}"#)]))
        let b = try content(chat(nil, tools: [("f", #"{ "b": [1, 2], "a": 1.0 }"#)]))
        #expect(comparator.compare(served: a, fresh: b) == .decided(.agree("same answer")))
    }

    @Test(arguments: [
        (AnswerContent(text: "", toolCalls: [.init(name: "f", arguments: ["a": 1])]), AnswerContent(text: "", toolCalls: [.init(name: "g", arguments: ["a": 1])]), "tool calls differ"),
        (AnswerContent(text: "", toolCalls: [.init(name: "f", arguments: ["a": 1])]), AnswerContent(text: "", toolCalls: [.init(name: "f", arguments: ["a": 2])]), "tool calls differ"),
        (AnswerContent(text: "Call it."), AnswerContent(text: "Call it.", toolCalls: [.init(name: "f", arguments: [:])]), "tool calls differ"),
        (AnswerContent(text: "The tower is 330 metres tall."), AnswerContent(text: "The tower is 324 metres tall."), "numbers differ"),
        (AnswerContent(text: "Yes, the API supports streaming."), AnswerContent(text: "The API does not support streaming."), "negation differs"),
        (AnswerContent(text: "Call list_datasets() first."), AnswerContent(text: "Call list_models() first."), "names differ"),
    ])
    func checksThatDecideADisagreement(served: AnswerContent, fresh: AnswerContent, reason: String) {
        #expect(comparator.compare(served: served, fresh: fresh) == .decided(.disagree(reason)))
    }

    @Test func otherProseIsLeftToTheEmbeddings() {
        let step = comparator.compare(served: AnswerContent(text: "Use the reversed function."), fresh: AnswerContent(text: "Call reversed on the list."))
        #expect(step == .needsCosine)
        #expect(comparator.verdict(cosine: 0.95).agrees)
        #expect(!comparator.verdict(cosine: 0.80).agrees)
    }
}
