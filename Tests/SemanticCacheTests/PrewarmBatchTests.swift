import Testing
@testable import SemanticCache

@Suite struct PrewarmBatchTests {
    @Test func joinsInputsWithOutputsOnCustomID() throws {
        let output = try PrewarmFixtures.read("batch-input.jsonl", "batch-output.jsonl", format: .openAIBatch)
        #expect(output.records.map(\.source.line) == [1, 2, 3, 4, 5])
        #expect(output.records.allSatisfy { $0.source.file.hasSuffix("batch-input.jsonl") })
        let paris = try #require(output.record(line: 1)?.response)
        #expect(paris.status == 200)
        #expect(paris.json?["choices"]?[0]?["message"]?["content"] == "Paris.")
        #expect(paris.timestamp == 1_741_944_413)
        #expect(output.record(line: 1)?.request["messages"]?[1]?["content"] == "What is the capital of France?")
        #expect(output.record(line: 2)?.response?.json?["choices"]?[0]?["message"]?["content"] == "Rome.")
        #expect(output.record(line: 5)?.endpoint == .embeddings)
    }

    @Test func errorsAndMissingOutputsGiveRecordsWithoutAnswers() throws {
        let output = try PrewarmFixtures.read("batch-input.jsonl", "batch-output.jsonl", format: .openAIBatch)
        // request-3 expired (an "error" instead of a response); request-5 has no output line.
        let record3 = try #require(output.record(line: 3))
        #expect(record3.response == nil)
        let record5 = try #require(output.record(line: 5))
        #expect(record5.response == nil)
        // request-4 was answered 400: kept with its status, never a success.
        let rejected = try #require(output.record(line: 4)?.response)
        #expect(rejected.status == 400 && !rejected.isSuccess)
    }

    @Test func reportsUncachedEndpointsAndOutputsWithoutInput() throws {
        let output = try PrewarmFixtures.read("batch-input.jsonl", "batch-output.jsonl", format: .openAIBatch)
        let issues = output.issues.map { "\($0.source.file.split(separator: "/").last!):\($0.source.line!) \($0.kind.rawValue)" }
        #expect(issues == ["batch-input.jsonl:6 not cacheable", "batch-output.jsonl:5 malformed"])
        #expect(output.issues.last?.reason.contains("custom_id request-9 has no line in the input files") == true)
    }

    @Test func fileOrderDoesNotMatter() throws {
        let forward = try PrewarmFixtures.read("batch-input.jsonl", "batch-output.jsonl", format: .openAIBatch)
        let reversed = try PrewarmFixtures.read("batch-output.jsonl", "batch-input.jsonl", format: nil)
        #expect(forward.records.map { $0.response?.body } == reversed.records.map { $0.response?.body })
        #expect(forward.issues.map(\.description) == reversed.issues.map(\.description))
        #expect(reversed.detections.count == 2)
        #expect(reversed.bytesRead == reversed.totalBytes)
    }

    @Test func aFileThatIsNeitherInputNorOutputIsRefused() throws {
        let text = #"{"custom_id":"a","note":"neither"}"# + "\n"
        #expect(throws: PrewarmReadError.self) {
            try PrewarmFixtures.read([.bytes(Array(text.utf8), name: "odd.jsonl")], format: .openAIBatch)
        }
    }
}
