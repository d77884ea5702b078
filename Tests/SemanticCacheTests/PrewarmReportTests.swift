import Testing
@testable import SemanticCache

@Suite struct PrewarmReportTests {
    @Test func summaryCountsSkipsByReasonAndListsMalformedLines() throws {
        var summary = PrewarmSummary(malformedListLimit: 2)
        var reader = try PrewarmReader(inputs: [.file(PrewarmFixtures.path("pairs.jsonl"))], format: .pairs)
        while let item = try reader.next() { summary.count(item) }
        summary.stored = 6
        summary.duplicates = 1
        #expect(summary.read == 12)
        #expect(summary.skipped == [.malformed: 3, .notCacheable: 1])
        let text = summary.rendered(elapsed: .seconds(4))
        #expect(text.hasPrefix("read 12 records in 4.0 s (3 records/s)\n"))
        #expect(text.contains("  stored" + String(repeating: " ", count: 13) + "6\n"))
        #expect(text.contains("  skipped" + String(repeating: " ", count: 12) + "4  (malformed 3, not cacheable 1)\n"))
        #expect(text.contains("first malformed records: (and 1 more)\n"))
        #expect(text.contains("pairs.jsonl:5: not JSON"))
        #expect(text.contains("pairs.jsonl:7: no request"))
        #expect(!text.contains("pairs.jsonl:12"))
    }

    @Test func oneRecordIsSingularAndEveryRowEndsItsLine() throws {
        var summary = PrewarmSummary()
        var reader = try PrewarmReader(inputs: [.bytes(Array(#"{"request":{"model":"m","input":"x"}}"#.utf8), name: "one")], format: .pairs)
        while let item = try reader.next() { summary.count(item) }
        let text = summary.rendered(elapsed: .seconds(1))
        #expect(text.hasPrefix("read 1 record in 1.0 s (1 records/s)\n"))
        #expect(text.hasSuffix("  skipped" + String(repeating: " ", count: 12) + "0\n"))
        let progress = ProgressReporter(style: .lines).render(PrewarmProgress(records: 1, bytesRead: 1, totalBytes: 1), elapsed: .seconds(1))
        #expect(progress.hasPrefix("prewarm: 1 record (100%)"))
    }

    @Test func ignoredHAREntriesAreNotCountedAsRead() throws {
        var summary = PrewarmSummary()
        var reader = try PrewarmReader(inputs: [.file(PrewarmFixtures.path("chrome-devtools.har"))], format: .har)
        while let item = try reader.next() { summary.count(item) }
        #expect(summary.read == 3)
        #expect(summary.ignored == 2)
        #expect(summary.skippedTotal == 0)
        #expect(summary.rendered(elapsed: .seconds(1)).contains("  ignored" + String(repeating: " ", count: 12) + "2  HAR entries"))
    }

    @Test func progressBarShowsPercentRateAndETA() {
        let reporter = ProgressReporter(style: .bar(width: 10))
        let text = reporter.render(PrewarmProgress(records: 500, bytesRead: 25, totalBytes: 100), elapsed: .seconds(10))
        #expect(text == "\r[##--------]  25%  500 records  50 records/s  ETA 0:30\u{1B}[K")
        let finished = reporter.finish(PrewarmProgress(records: 900, bytesRead: 100, totalBytes: 100), elapsed: .seconds(3600))
        #expect(finished.hasPrefix("\r[##########] 100%  900 records  0 records/s  ETA 0:00"))
        #expect(finished.hasSuffix("\n"))
    }

    @Test func plainLinesWithoutAKnownTotal() {
        let reporter = ProgressReporter(style: .lines)
        #expect(reporter.render(PrewarmProgress(records: 1200, bytesRead: 5, totalBytes: nil), elapsed: .seconds(4))
            == "prewarm: 1200 records, 300 records/s\n")
        #expect(reporter.render(PrewarmProgress(records: 1200, bytesRead: 1, totalBytes: 5), elapsed: .seconds(1000))
            == "prewarm: 1200 records (20%), 1 records/s, ETA 1:06:40\n")
    }

    @Test func updatesAreThrottled() {
        var reporter = ProgressReporter(style: .lines, interval: .seconds(5))
        let progress = PrewarmProgress(records: 1, bytesRead: 1, totalBytes: 10)
        #expect(reporter.update(progress, elapsed: .seconds(1)) != nil)
        #expect(reporter.update(progress, elapsed: .seconds(3)) == nil)
        #expect(reporter.update(progress, elapsed: .seconds(6)) != nil)
        #expect(reporter.update(progress, elapsed: .seconds(7)) == nil)
    }

    @Test func isoTimestampsParseAndFormat() {
        #expect(ISO8601Timestamp.parse("1970-01-01T00:00:00Z") == 0)
        #expect(ISO8601Timestamp.parse("2000-02-29T12:00:00.5+02:00") == 951_818_400.5)
        #expect(ISO8601Timestamp.parse("2025-03-14T10:02:10.500+0100") == 1_741_942_930.5)
        #expect(ISO8601Timestamp.parse("1969-12-31T23:59:59Z") == -1)
        for bad in ["2025-02-29T00:00:00Z", "2025-03-14T09:26:53", "2025-03-14", "2025-13-01T00:00:00Z", "2025-03-14T09:26:53.Z", "x"] {
            #expect(ISO8601Timestamp.parse(bad) == nil, "\(bad)")
        }
        #expect(ISO8601Timestamp.format(1_741_944_413.589) == "2025-03-14T09:26:53.589Z")
        #expect(ISO8601Timestamp.format(-1) == "1969-12-31T23:59:59.000Z")
        for seconds in [0.0, 951_782_400.25, 1_741_944_413.5, 4_102_444_800] {
            #expect(ISO8601Timestamp.parse(ISO8601Timestamp.format(seconds)) == seconds)
        }
    }
}
