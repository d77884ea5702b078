import Testing
@testable import SemanticCache

/// How `semcache prewarm --url` re-encodes parsed records, and what the traffic log reader refuses.
@Suite struct PrewarmRecordEncodingTests {
    static func readBack(_ line: [UInt8]) throws -> PrewarmRecord? {
        let output = try PrewarmFixtures.read([.bytes(line, name: "sent")], format: .pairs)
        return output.records.first
    }

    @Test(arguments: ["pairs.jsonl", "traffic.jsonl", "chrome-devtools.har", "playwright.har"])
    func recordsSurviveThePairsRoundTrip(file: String) throws {
        for record in try PrewarmFixtures.read(file, format: nil).records {
            guard case .success(let line) = record.pairsLine() else { continue }
            let back = try #require(try Self.readBack(line), "\(record.source)")
            #expect(back.endpoint == record.endpoint, "\(record.source)")
            #expect(back.request == record.request, "\(record.source)")
            #expect(back.response?.status == record.response?.status, "\(record.source)")
            #expect(back.response?.isStream == record.response?.isStream, "\(record.source)")
            #expect(back.response?.upstreamMilliseconds == record.response?.upstreamMilliseconds, "\(record.source)")
            if let answer = record.response, !answer.isStream {
                #expect(back.response?.json == answer.json, "\(record.source)")
            } else {
                #expect(back.response?.body == record.response?.body, "\(record.source)")
            }
        }
    }

    @Test func answersPairsCannotCarryAreJudgedLocally() throws {
        let html = RecordedAnswer(status: 502, body: Array("<html>Bad Gateway</html>".utf8), isStream: false)
        let record = PrewarmRecord(endpoint: .chatCompletions, request: .object([]), response: html, source: PrewarmSource(file: "f", line: 3))
        guard case .failure(let issue) = record.pairsLine() else {
            Issue.record("an HTML answer cannot be a pairs response")
            return
        }
        #expect(issue.kind == .failedAnswer && issue.source.line == 3)
    }

    @Test func semanticHitsInTheTrafficLogAreNotStoredAsTheirPromptsAnswers() throws {
        let line = #"{"time":1,"endpoint":"/v1/chat/completions","status":200,"cache":"hit-semantic","request":{"model":"m","temperature":0,"messages":[{"role":"user","content":"paraphrase"}]},"response":{"choices":[]}}"#
        let output = try PrewarmFixtures.read([.bytes(Array(line.utf8), name: "log")], format: .semcache)
        #expect(output.records.isEmpty)
        #expect(output.issues.first?.kind == .notCacheable)
    }
}
