import Testing
@testable import SemanticCache

@Suite struct PrewarmHARTests {
    static let credentials = [
        "sk-proj-Xq7Rt2Lm9Vb4Nc8Zd1Kf6Hs3Jw0Pg5Ya", "sk-ant-api03-Wm3Qz8Lr5Tx1Vb7Nc2Kd9Hf4Js6Pg0Ya",
        "azk-7Hq2Lm9Xv4Rt1Nb8", "eyJ1aWQiOjQyfQ", "Zk2Jd8Qw1Lp4Vn7Bx0Mc3Rt6Ys9Hf5Ga", "Qm9vZ2xlLmNvbQ",
    ]

    @Test func chromeExportGivesTheAPICallsAndIgnoresTheRest() throws {
        let output = try PrewarmFixtures.read("chrome-devtools.har", format: .har)
        #expect(output.records.map(\.source.entry) == [3, 4, 5])
        #expect(output.issues.map { "\($0.source.entry!) \($0.kind.rawValue)" } == ["1 ignored", "2 ignored"])
        #expect(output.issues[1].reason == "OPTIONS /v1/chat/completions is not a POST to a cached endpoint")
        let chat = try #require(output.records.first?.response)
        #expect(chat.status == 200 && !chat.isStream)
        #expect(chat.json?["choices"]?[0]?["message"]?["content"] == "Paris is the capital of France.")
        #expect(chat.upstreamMilliseconds == 812.4)
        #expect(abs(try #require(chat.timestamp) - 1_741_944_413.589) < 1e-6)
        #expect(output.records.first?.request["messages"]?[1]?["content"] == "What is the capital of France?")
    }

    @Test func eventStreamAnswersAreTranscripts() throws {
        let output = try PrewarmFixtures.read("chrome-devtools.har", format: .har)
        let stream = try #require(output.records[1].response)
        #expect(stream.isStream)
        #expect(stream.assembled(for: .chatCompletions)?["choices"]?[0]?["message"]?["content"] == "The capital of France is Paris.")
    }

    @Test func requestsThatFailedInTheBrowserHaveNoAnswer() throws {
        let output = try PrewarmFixtures.read("chrome-devtools.har", format: .har)
        #expect(output.records[2].response == nil)
        #expect(output.records[2].request["messages"]?[1]?["content"] == "What is the capital of Norway?")
    }

    @Test func sourcesPointAtTheLineWhereTheEntryStarts() throws {
        let lines = String(decoding: try PrewarmFixtures.bytes("chrome-devtools.har"), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let output = try PrewarmFixtures.read("chrome-devtools.har", format: .har)
        for record in output.records {
            let line = try #require(record.source.line)
            #expect(lines[line - 1].trimmingPrefix(while: { $0 == " " }).hasPrefix("{"))
            #expect(lines[line].contains("\"_connectionId\""))
        }
    }

    @Test func playwrightExportWithBase64BodiesAndGatewayPrefixes() throws {
        let output = try PrewarmFixtures.read("playwright.har", format: .har)
        #expect(output.records.map(\.endpoint) == [.embeddings, .anthropicMessages])
        let embedding = try #require(output.records[0].response)
        #expect(embedding.json?["object"] == "list")
        #expect(embedding.json?["data"]?[0]?["embedding"]?[0] == -0.006929283)
        #expect(abs(try #require(embedding.timestamp) - 1_741_942_930.5) < 1e-6)
        let anthropic = try #require(output.records[1].response)
        #expect(anthropic.isStream)
        #expect(anthropic.assembled(for: .anthropicMessages)?["content"]?[0]?["text"] == "Bonjour")
        #expect(output.issues.map(\.source.entry) == [3])
        #expect(output.issues.first?.reason == "response.content.text is not valid base64")
    }

    @Test func credentialsNeverReachARecordOrAnIssue() throws {
        for file in ["chrome-devtools.har", "playwright.har"] {
            let text = String(decoding: try PrewarmFixtures.bytes(file), as: UTF8.self)
            #expect(Self.credentials.contains { text.contains($0) }, "the fixture \(file) must hold credentials for this test to mean anything")
            let output = try PrewarmFixtures.read(file, format: .har)
            var produced = output.issues.map(\.description).joined(separator: "\n")
            for record in output.records {
                produced += String(decoding: record.request.compactBytes, as: UTF8.self)
                produced += record.response.map { $0.text + ($0.usage?.description ?? "") } ?? ""
                produced += record.source.description
            }
            for credential in Self.credentials {
                #expect(!produced.contains(credential), "\(file) leaked \(credential)")
            }
        }
    }

    @Test func aTruncatedRecordingKeepsTheCompleteEntries() throws {
        let bytes = try PrewarmFixtures.bytes("chrome-devtools.har")
        let text = String(decoding: bytes, as: UTF8.self)
        let cut = try #require(text.range(of: "Tell me about the capital of France"))
        let truncated = Array(text[..<cut.lowerBound].utf8)
        let output = try PrewarmFixtures.read([.bytes(truncated, name: "cut.har")], format: .har)
        #expect(output.records.map(\.source.entry) == [3])
        #expect(output.issues.last?.source.entry == 4)
        #expect(output.issues.last?.reason.contains("ends inside this entry") == true)
    }

    @Test func theScannerGivesTheSameEntriesWhateverTheChunkSize() throws {
        let bytes = try PrewarmFixtures.bytes("playwright.har")
        var whole = HAREntryScanner()
        let expected = whole.feed(bytes).map(\.bytes)
        var byteByByte = HAREntryScanner()
        var entries: [[UInt8]] = []
        for byte in bytes { entries += byteByByte.feed([byte]).map(\.bytes) }
        #expect(expected.count == 3)
        #expect(entries == expected)
        #expect(try expected.allSatisfy { try JSONValue.parse($0)["request"] != nil })
    }

    @Test func aFileWithoutLogEntriesIsNotHAR() throws {
        let text = #"{"log": {"version": "1.2", "pages": []}}"#
        #expect(throws: PrewarmReadError.self) {
            try PrewarmFixtures.read([.bytes(Array(text.utf8), name: "empty.har")], format: .har)
        }
    }
}
