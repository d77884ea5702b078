/// What a prewarm run did: counts, skips by reason, and the first malformed lines with why.
public struct PrewarmSummary: Sendable {
    /// How many malformed lines are listed with their reason.
    public let malformedListLimit: Int
    /// Records read (lines or entries that yielded a record, plus those that did not, except ignored HAR entries).
    public private(set) var read = 0
    /// Records stored as new entries.
    public var stored = 0
    /// Records whose exact key was already stored.
    public var duplicates = 0
    /// Records without an answer that were sent upstream.
    public var replayed = 0
    /// Skips by reason (``PrewarmIssueKind/ignored`` is counted separately in ``ignored``).
    public private(set) var skipped: [PrewarmIssueKind: Int] = [:]
    /// HAR entries that are not calls to cached endpoints.
    public private(set) var ignored = 0
    /// The first ``malformedListLimit`` malformed lines or entries.
    public private(set) var firstMalformed: [PrewarmIssue] = []

    public init(malformedListLimit: Int = 10) {
        self.malformedListLimit = malformedListLimit
    }

    /// Counts an item as read (issues are counted as skipped too).
    public mutating func count(_ item: PrewarmItem) {
        switch item {
        case .record, .entry: read += 1
        case .issue(let issue):
            if issue.kind != .ignored { read += 1 }
            skip(issue)
        }
    }

    /// Counts a record that was read but not stored, for `issue.kind`.
    public mutating func skip(_ issue: PrewarmIssue) {
        if issue.kind == .ignored {
            ignored += 1
            return
        }
        skipped[issue.kind, default: 0] += 1
        if issue.kind == .malformed, firstMalformed.count < malformedListLimit { firstMalformed.append(issue) }
    }

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    /// The summary for the terminal, e.g.
    /// ```
    /// read 1204 records in 3.2 s (376 records/s)
    ///   stored          1100
    ///   duplicates        80
    ///   skipped           24  (not cacheable 10, non-2xx 9, malformed 5)
    /// first malformed records:
    ///   traffic.jsonl:17: not JSON: unexpected '}'; expected a JSON value (at byte 12)
    /// ```
    public func rendered(elapsed: Duration) -> String {
        let seconds = elapsed.seconds
        var lines = ["read \(Self.records(read)) in \(Self.format(seconds, decimals: 1)) s (\(Self.rate(read, seconds)) records/s)"]
        func row(_ label: String, _ value: Int, _ detail: String = "") {
            let number = String(value)
            let gap = String(repeating: " ", count: max(1, 20 - label.count - number.count))
            lines.append("  \(label)\(gap)\(number)\(detail)")
        }
        row("stored", stored)
        row("duplicates", duplicates)
        if replayed > 0 { row("replayed", replayed) }
        let reasons = PrewarmIssueKind.allCases.compactMap { kind in skipped[kind].map { "\(kind.rawValue) \($0)" } }
        row("skipped", skippedTotal, reasons.isEmpty ? "" : "  (\(reasons.joined(separator: ", ")))")
        if ignored > 0 { row("ignored", ignored, "  HAR entries that are not POSTs to a cached endpoint") }
        if !firstMalformed.isEmpty {
            let more = (skipped[.malformed] ?? 0) - firstMalformed.count
            lines.append("first malformed records:" + (more > 0 ? " (and \(more) more)" : ""))
            lines += firstMalformed.map { "  \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1 record`, `2 records`.
    static func records(_ count: Int) -> String {
        "\(count) record\(count == 1 ? "" : "s")"
    }

    static func rate(_ count: Int, _ seconds: Double) -> String {
        seconds > 0 ? String(Int((Double(count) / seconds).rounded())) : "–"
    }

    static func format(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard decimals > 0 else { return String(scaled) }
        let fraction = String(scaled % Int(scale))
        return "\(scaled / Int(scale)).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
