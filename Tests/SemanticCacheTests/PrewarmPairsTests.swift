import Testing
@testable import SemanticCache

@Suite struct PrewarmPairsTests {
    @Test func readsEveryWellFormedLineWithItsEndpoint() throws {
        let output = try PrewarmFixtures.read("pairs.jsonl", format: .pairs)
        let endpoints = output.records.map { "\($0.source.line!) \($0.endpoint.rawValue)" }
        #expect(endpoints == [
            "1 chatCompletions", "2 embeddings", "3 chatCompletions", "6 anthropicMessages", "9 completions",
            "10 chatCompletions", "11 chatCompletions", "13 anthropicMessages",
        ])
        #expect(output.records.allSatisfy { $0.source.file.hasSuffix("pairs.jsonl") })
        #expect(output.bytesRead == output.totalBytes)
    }

    @Test func badLinesAreIssuesWithTheirLineNumbersAndReadingGoesOn() throws {
        let output = try PrewarmFixtures.read("pairs.jsonl", format: .pairs)
        let issues = output.issues.map { "\($0.source.line!) \($0.kind.rawValue)" }
        #expect(issues == ["5 malformed", "7 malformed", "8 not cacheable", "12 malformed"])
        #expect(output.issue(line: 5)?.reason.hasPrefix("not JSON: the input ended early") == true)
        #expect(output.issue(line: 5)?.reason.contains("(at byte ") == true)
        #expect(output.issue(line: 7)?.reason == "no request")
        #expect(output.issue(line: 8)?.reason.hasPrefix("endpoint /v1/moderations is not cached") == true)
        #expect(output.issue(line: 12)?.reason == "request is not a JSON object")
        #expect(output.issue(line: 5)?.description.hasSuffix("pairs.jsonl:5: " + output.issue(line: 5)!.reason) == true)
    }

    @Test func jsonAnswersKeepTheirStatusUsageAndTimestamp() throws {
        let output = try PrewarmFixtures.read("pairs.jsonl", format: .pairs)
        let chat = try #require(output.record(line: 1)?.response)
        #expect(chat.status == 200 && !chat.isStream)
        #expect(chat.json?["choices"]?[0]?["message"]?["content"] == "Paris.")
        #expect(chat.usage?["prompt_tokens"] == 24)
        #expect(abs(try #require(chat.timestamp) - 1_741_944_413.589) < 1e-6)
        #expect(output.record(line: 2)?.response?.timestamp == 1_741_944_414.25)
        #expect(output.record(line: 1)?.request["messages"]?[1]?["content"] == "What is the capital of France?")
    }

    @Test func sseTranscriptsAreKeptAsStreams() throws {
        let output = try PrewarmFixtures.read("pairs.jsonl", format: .pairs)
        let chat = try #require(output.record(line: 3)?.response)
        #expect(chat.isStream)
        #expect(chat.assembled(for: .chatCompletions)?["choices"]?[0]?["message"]?["content"] == "Rome.")
        let anthropic = try #require(output.record(line: 6)?.response)
        #expect(anthropic.isStream)
        #expect(anthropic.assembled(for: .anthropicMessages)?["content"]?[0]?["text"] == "Bonjour")
    }

    @Test func errorsMissingAnswersAndGatewayPrefixes() throws {
        let output = try PrewarmFixtures.read("pairs.jsonl", format: .pairs)
        let failed = try #require(output.record(line: 10)?.response)
        #expect(failed.status == 500 && !failed.isSuccess)
        #expect(output.record(line: 11)?.response == nil)
        #expect(output.record(line: 9)?.response?.json?["choices"]?[0]?["text"] == " Berlin.")
        // The last line ends in CRLF.
        #expect(output.record(line: 13)?.response?.json?["content"]?[0]?["text"] == "Tokyo")
    }

    @Test func lineNumbersStayRightAcrossChunks() throws {
        // More than one 256 KiB chunk, with a bad line deep inside.
        var text = ""
        for number in 1...4000 {
            if number == 3217 {
                text += "{\"request\": oops}\n"
            } else {
                text += "{\"request\":{\"model\":\"text-embedding-3-small\",\"input\":\"sentence number \(number) with some padding to make it longer\"},\"response\":{\"object\":\"list\",\"data\":[]}}\n"
            }
        }
        #expect(text.utf8.count > FileByteReader.chunkSize)
        let output = try PrewarmFixtures.read([.bytes(Array(text.utf8), name: "big.jsonl")], format: .pairs)
        #expect(output.records.count == 3999)
        #expect(output.issues.map(\.source.line) == [3217])
        #expect(output.records.last?.request["input"] == "sentence number 4000 with some padding to make it longer")
        #expect(output.bytesRead == Int64(text.utf8.count))
    }

    @Test func overlongLinesAreSkippedWithoutLosingTheNextLine() throws {
        let long = "{\"request\":{\"input\":\"" + String(repeating: "x", count: 300) + "\"},\"response\":{}}"
        let text = "{\"request\":{\"input\":\"a\"},\"response\":{}}\n\(long)\n{\"request\":{\"input\":\"b\"},\"response\":{}}"
        var lines = JSONLinesReader(MemoryByteReader(bytes: Array(text.utf8), name: "mem"), maxLineBytes: 100)
        var results: [String] = []
        while let line = try lines.next() {
            switch line.json {
            case .success(let json): results.append("\(line.number) \(json["request"]?["input"]?.string ?? "?")")
            case .failure(let issue): results.append("\(line.number) \(issue.reason)")
            }
        }
        #expect(results == ["1 a", "2 line longer than 100 bytes", "3 b"])
    }
}
