/// Tunables of a prewarm run.
public struct PrewarmSettings: Sendable {
    /// Records per committed batch (and per embedder call).
    public var batchSize: Int
    /// Send every record upstream through the cache and store the fresh answer (`--replay`).
    ///
    /// The only way a prewarm run reaches the upstream: without it, records are stored from the
    /// answers they carry, and those without one are skipped (`no answer`).
    public var replay: Bool
    /// Replayed requests in flight at once.
    public var concurrency: Int
    /// Replayed requests started per second at most; nil: no limit.
    public var ratePerSecond: Double?

    public init(batchSize: Int = 256, replay: Bool = false, concurrency: Int = 4, ratePerSecond: Double? = nil) {
        self.batchSize = max(1, batchSize)
        self.replay = replay
        self.concurrency = max(1, concurrency)
        self.ratePerSecond = ratePerSecond
    }
}

/// How a prewarm run ended, with its summary.
public struct PrewarmRunResult: Sendable {
    public enum End: Sendable, Equatable {
        /// Every input was read.
        case finished
        /// Stopped on request (Ctrl-C) after committing the batch in progress.
        case interrupted
        /// An input could not be read further, or a batch could not be stored; earlier batches stay committed.
        case failed(String)
    }

    public var summary: PrewarmSummary
    public var end: End
}

/// Reads records and stores them in committed batches from the answers they carry, or, with
/// ``PrewarmSettings/replay``, replays every one of them upstream; keeps the summary. Batches commit as they go, so a run that is stopped or fails keeps what it committed.
public struct PrewarmRunner {
    private var reader: PrewarmReader
    private let sink: any PrewarmSink
    private let settings: PrewarmSettings
    private var pacer: RatePacer
    private var summary: PrewarmSummary

    public init(reader: PrewarmReader, sink: any PrewarmSink, settings: PrewarmSettings, summary: PrewarmSummary = PrewarmSummary()) {
        self.reader = reader
        self.sink = sink
        self.settings = settings
        self.pacer = RatePacer(perSecond: settings.ratePerSecond)
        self.summary = summary
    }

    /// How far the run is.
    public var progress: PrewarmProgress {
        PrewarmProgress(records: summary.read, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes)
    }

    /// Runs to the end of the inputs, or until `shouldStop` returns true (checked after every
    /// record; the task being cancelled counts too).
    ///
    /// - Parameters:
    ///   - onIssue: called for every record that is skipped (not for ignored HAR entries).
    ///   - onProgress: called after every record; throttle the output yourself (``ProgressReporter``).
    public mutating func run(
        shouldStop: () -> Bool = { false },
        onIssue: (PrewarmIssue) -> Void = { _ in },
        onProgress: (PrewarmProgress) -> Void = { _ in }
    ) async -> PrewarmRunResult {
        var batch: [PrewarmRecord] = []
        var entries: [ExportedEntry] = []
        var replays: [PrewarmRecord] = []
        do {
            while true {
                if shouldStop() || Task.isCancelled {
                    try await commit(&batch, onIssue: onIssue, sink.ingest)
                    try await commit(&entries, onIssue: onIssue, sink.restore)
                    abandon(&replays, onIssue: onIssue)
                    return PrewarmRunResult(summary: summary, end: .interrupted)
                }
                guard let item = try reader.next() else { break }
                summary.count(item)
                switch item {
                case .issue(let issue):
                    if issue.kind != .ignored { onIssue(issue) }
                case .entry(let entry):
                    entries.append(entry)
                case .record(let record):
                    if settings.replay {
                        replays.append(record)
                    } else {
                        batch.append(record)
                    }
                }
                if batch.count >= settings.batchSize { try await commit(&batch, onIssue: onIssue, sink.ingest) }
                if entries.count >= settings.batchSize { try await commit(&entries, onIssue: onIssue, sink.restore) }
                if replays.count >= settings.batchSize { await replay(&replays, shouldStop: shouldStop, onIssue: onIssue) }
                onProgress(progress)
            }
            try await commit(&batch, onIssue: onIssue, sink.ingest)
            try await commit(&entries, onIssue: onIssue, sink.restore)
            await replay(&replays, shouldStop: shouldStop, onIssue: onIssue)
            onProgress(progress)
            // A stop during the last replays ends the run early too.
            return PrewarmRunResult(summary: summary, end: shouldStop() || Task.isCancelled ? .interrupted : .finished)
        } catch {
            abandon(&replays, onIssue: onIssue)
            return PrewarmRunResult(summary: summary, end: .failed("\(error)"))
        }
    }

    /// Writes `items` through `write` (the sink's ingest or restore) and counts what happened.
    private mutating func commit<Item>(
        _ items: inout [Item], onIssue: (PrewarmIssue) -> Void, _ write: ([Item]) async throws -> PrewarmBatchResult
    ) async throws {
        guard !items.isEmpty else { return }
        let result = try await write(items)
        items.removeAll(keepingCapacity: true)
        summary.add(result)
        result.issues.forEach(onIssue)
    }

    /// Replays `records` with at most ``PrewarmSettings/concurrency`` in flight, paced to the rate;
    /// those not started when a stop is requested are skipped.
    private mutating func replay(_ records: inout [PrewarmRecord], shouldStop: () -> Bool, onIssue: (PrewarmIssue) -> Void) async {
        guard !records.isEmpty else { return }
        let sink = self.sink
        var remaining = records[...]
        records.removeAll()
        await withTaskGroup(of: PrewarmOutcome.self) { group in
            var inFlight = 0
            func apply(_ outcome: PrewarmOutcome) {
                var result = PrewarmBatchResult()
                result.add(outcome)
                summary.add(result)
                result.issues.forEach(onIssue)
            }
            while let record = remaining.first, !shouldStop(), !Task.isCancelled {
                if inFlight == settings.concurrency, let outcome = await group.next() {
                    inFlight -= 1
                    apply(outcome)
                }
                await pacer.wait()
                remaining = remaining.dropFirst()
                inFlight += 1
                group.addTask { await sink.replay(record) }
            }
            for await outcome in group { apply(outcome) }
        }
        var left = Array(remaining)
        abandon(&left, onIssue: onIssue)
    }

    private mutating func abandon(_ records: inout [PrewarmRecord], onIssue: (PrewarmIssue) -> Void) {
        for record in records {
            let issue = PrewarmIssue(source: record.source, kind: .noAnswer, reason: "interrupted before it was replayed")
            summary.skip(issue)
            onIssue(issue)
        }
        records.removeAll()
    }
}
