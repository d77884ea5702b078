import Foundation
import Logging
import Store
import Testing
@testable import SemanticCache

@Suite struct PriceTableTests {
    @Test(arguments: [
        ("gpt-4o-mini", "gpt-4o-mini"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-3.5-turbo-0125", "gpt-3.5-turbo"),
        ("gpt-3.5-turbo-instruct", "gpt-3.5-turbo-instruct"),
        ("gpt-5-2025-08-07", "gpt-5"),
        ("gpt-5-mini-2025-08-07", "gpt-5-mini"),
        ("o3-mini-2025-01-31", "o3-mini"),
        ("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
        ("claude-3-5-sonnet@20240620", "claude-3-5-sonnet"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1"),
        ("claude-haiku-4-5", "claude-haiku-4-5"),
    ])
    func namesUseTheirOwnRowOrTheirSnapshotsFamily(model: String, expected: String) throws {
        let table = PriceTable.builtIn
        #expect(table.price(for: model) != nil)
        #expect(table.price(for: model) == table.prices[expected])
    }

    /// Another model of a family (not a dated snapshot) gets no price rather than the family's.
    @Test(arguments: ["gpt-4", "gpt-4oo", "my-gpt-4o", "gpt-4o-audio-preview", "gpt-4o-mini-tts", "gpt-3.5-turbo-16k", "gpt-4o-2024-08",
                      "claude-sonnet-4-7", "ft:gpt-4o-mini:acme::abc123", "o3-deep-research", "llama3", ""])
    func otherNamesHaveNoPrice(model: String) {
        #expect(PriceTable.builtIn.price(for: model) == nil)
    }

    @Test func anExactRowWinsOverItsFamily() throws {
        let table = try PriceTable(json: Array(#"{"models":{"m":{"input":1,"output":2},"m-2030-01-01":{"input":3,"output":4}}}"#.utf8), source: "test")
        #expect(table.price(for: "m-2030-01-01")?.inputPerMillion == 3)
        #expect(table.price(for: "m-2031-01-01")?.inputPerMillion == 1)
    }

    @Test func costIsPerMillionTokens() throws {
        let price = try #require(PriceTable.builtIn.price(for: "gpt-4o-mini"))
        #expect(abs(price.cost(promptTokens: 1_000_000, completionTokens: 0) - price.inputPerMillion) < 1e-12)
        #expect(abs(price.cost(promptTokens: 2000, completionTokens: 1000) - (2000 * price.inputPerMillion + 1000 * price.outputPerMillion) / 1e6) < 1e-15)
    }

    @Test func aFileReplacesTheTableAndRoundTrips() throws {
        let table = try PriceTable(json: Array(#"{"as_of":"2030-01","models":{"local-model":{"input":1.5,"output":0,"as_of":"2029-12"}}}"#.utf8), source: "test")
        #expect(table.asOf == "2030-01")
        #expect(table.price(for: "local-model") == ModelPrice(inputPerMillion: 1.5, outputPerMillion: 0, asOf: "2029-12"))
        #expect(table.price(for: "local-model:7b") == nil)
        #expect(table.price(for: "gpt-4o") == nil)
        #expect(PriceTable.builtIn.prices.values.allSatisfy { $0.asOf != nil })
        let again = try PriceTable(json: PriceTable.builtIn.json.compactBytes, source: "round trip")
        #expect(again == PriceTable.builtIn)
    }

    @Test(arguments: [
        ("[]", "models"),
        (#"{"models":{"m":{"input":1}}}"#, #"model "m""#),
        (#"{"models":{"m":{"input":-1,"output":1}}}"#, "≥ 0"),
        ("{", "not JSON"),
    ])
    func invalidFilesAreRefusedWithTheReason(json: String, mentions: String) {
        #expect {
            try PriceTable(json: Array(json.utf8), source: "prices.json")
        } throws: { error in
            "\(error)".contains("prices.json") && "\(error)".contains(mentions)
        }
    }

    @Test func aMissingFileSaysWhereToStart() {
        #expect { try PriceTable.load(path: "/nonexistent/prices.json") } throws: { "\($0)".contains("semcache prices") }
    }
}

@Suite struct LatencyHistogramTests {
    @Test func observationsLandInTheirBucketAndQuantilesInterpolate() {
        var histogram = LatencyHistogram()
        for _ in 0..<50 { histogram.observe(milliseconds: 0.3) }  // (0.25, 0.5]
        for _ in 0..<50 { histogram.observe(milliseconds: 4) }  // (2.5, 5]
        #expect(histogram.count == 100)
        #expect(abs(histogram.sumMilliseconds - 215) < 1e-9)
        #expect(histogram.quantile(0.5) == 0.5)
        let p99 = histogram.quantile(0.99) ?? 0
        #expect(p99 > 2.5 && p99 <= 5)
        #expect(LatencyHistogram().quantile(0.5) == nil)
    }

    @Test func theUnboundedBucketReportsItsMean() {
        var histogram = LatencyHistogram()
        histogram.observe(milliseconds: 20_000)
        histogram.observe(milliseconds: 40_000)
        #expect(histogram.quantile(0.99) == 30_000)
    }

    @Test func rowsRebuildTheSameHistogram() {
        var histogram = LatencyHistogram()
        for value in [0.01, 0.07, 3, 3, 700, 50_000] { histogram.observe(milliseconds: value) }
        var rebuilt = LatencyHistogram()
        for index in histogram.counts.indices where histogram.counts[index] > 0 {
            rebuilt.add(upperBound: LatencyHistogram.upperBound(index), count: histogram.counts[index], sum: histogram.sums[index])
        }
        #expect(rebuilt == histogram)
    }
}

@Suite struct StatsRecorderTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func modelLabelsStayBounded() {
        let recorder = StatsRecorder(store: nil, prices: .builtIn, logger: Self.logger)
        for index in 0..<(ModelLabels.limit + 20) {
            recorder.recordBypass(endpoint: "/v1/chat/completions", model: "model-\(index)", reason: .nondeterministic)
        }
        recorder.recordBypass(endpoint: "/v1/chat/completions", model: "model-0", reason: .nondeterministic)
        recorder.recordBypass(endpoint: "/v1/chat/completions", model: String(repeating: "x", count: 500), reason: .nondeterministic)
        let totals = recorder.sinceStart
        #expect(totals.models.count == ModelLabels.limit + 1)
        #expect(totals.requestCount(model: "other") == 21)
        #expect(totals.requestCount(model: "model-0") == 2)
        #expect(totals.requestCount() == ModelLabels.limit + 22)
    }

    @Test func hitsSaveTheirEntrysTokensMoneyAndTime() throws {
        let recorder = StatsRecorder(store: nil, prices: .builtIn, logger: Self.logger)
        let entry = NewEntry(
            key: [], contextKey: nil, endpoint: "/v1/chat/completions", model: "gpt-4o", namespace: "", prompt: nil,
            response: [], responseKind: .json, status: 200, contentType: nil, promptTokens: 1000, completionTokens: 500,
            upstreamMilliseconds: 1234, createdAt: 0, expiresAt: 1)
        recorder.recordHit(exact: true, endpoint: "/v1/chat/completions", model: "gpt-4o-2024-08-06", entry: entry, latency: .microseconds(300))
        recorder.recordHit(exact: false, endpoint: "/v1/chat/completions", model: "gpt-4o-2024-08-06", entry: entry, latency: .microseconds(900))
        let saved = recorder.sinceStart.saved()
        let price = try #require(PriceTable.builtIn.price(for: "gpt-4o"))
        #expect(saved.promptTokens == 2000 && saved.completionTokens == 1000)
        #expect(abs(saved.costUSD - 2 * price.cost(promptTokens: 1000, completionTokens: 500)) < 1e-12)
        #expect(saved.upstreamMilliseconds == 2468)
        #expect(recorder.sinceStart.histogram(LatencyName.hit).count == 2)
        #expect(recorder.sinceStart.requestCount(.hitExact) == 1 && recorder.sinceStart.requestCount(.hitSemantic) == 1)
    }

    @Test func onlyTheLastMissesAreKeptNewestFirst() {
        let recorder = StatsRecorder(store: nil, prices: .builtIn, logger: Self.logger)
        for index in 0..<30 {
            recorder.recordMiss(endpoint: "/v1/completions", model: "m", reason: "uri-miss", prompt: "prompt \(index)", overhead: nil, upstreamStatus: 200)
        }
        recorder.recordMiss(endpoint: "/v1/completions", model: "m", reason: "uri-miss", prompt: nil, overhead: .milliseconds(2), upstreamStatus: 200)
        let misses = recorder.recentMisses
        #expect(misses.count == StatsRecorder.recentMissLimit)
        #expect(misses[0].promptPreview == nil && misses[1].promptPreview == "prompt 29")
        #expect(recorder.sinceStart.histogram(LatencyName.missOverhead).count == 1)
    }

    @Test(arguments: [("90", 90), ("90s", 90), ("30m", 1800), ("24h", 86400), ("7d", 604_800), (" 5m ", 300)])
    func durations(text: String, seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "m", "-5m", "5w", "1.5h", "99999999999999999999d"])
    func notDurations(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }
}
