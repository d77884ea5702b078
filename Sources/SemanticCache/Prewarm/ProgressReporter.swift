#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a prewarm run is, for ``ProgressReporter``.
public struct PrewarmProgress: Sendable {
    /// Records (and issues) read so far.
    public var records: Int
    public var bytesRead: Int64
    /// The inputs' total size, when known: gives the percentage and the ETA.
    public var totalBytes: Int64?

    public init(records: Int, bytesRead: Int64, totalBytes: Int64?) {
        self.records = records
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
    }
}

/// Renders prewarm progress: a redrawn bar with records/s and ETA on a terminal, plain periodic lines
/// otherwise (logs, pipes). Pure: the caller says how much time passed and writes the text returned.
///
/// ```swift
/// var progress = ProgressReporter(style: ProgressReporter.standardOutputStyle())
/// if let text = progress.update(snapshot, elapsed: clock.now - start) { write(text) }
/// write(progress.finish(snapshot, elapsed: …))
/// ```
public struct ProgressReporter: Sendable {
    public enum Style: Sendable, Equatable {
        /// A bar redrawn in place (`\r`), `width` characters wide.
        case bar(width: Int)
        /// One line per report.
        case lines
    }

    public let style: Style
    /// The least time between two reports.
    public let interval: Duration
    private var lastReport: Duration?

    /// `interval` defaults to 0.1 s for the bar and 5 s for plain lines.
    public init(style: Style, interval: Duration? = nil) {
        self.style = style
        self.interval = interval ?? (style == .lines ? .seconds(5) : .milliseconds(100))
    }

    /// The bar when standard output is a terminal (`isatty(1)`), plain lines otherwise.
    public static func standardOutputStyle() -> Style {
        isatty(1) == 1 ? .bar(width: 30) : .lines
    }

    /// The text to write now, or `nil` when the last report is more recent than ``interval``.
    public mutating func update(_ progress: PrewarmProgress, elapsed: Duration) -> String? {
        if let lastReport, elapsed - lastReport < interval { return nil }
        lastReport = elapsed
        return render(progress, elapsed: elapsed)
    }

    /// The final report (always written; the bar ends its line).
    public func finish(_ progress: PrewarmProgress, elapsed: Duration) -> String {
        switch style {
        case .bar: render(progress, elapsed: elapsed) + "\n"
        case .lines: render(progress, elapsed: elapsed)
        }
    }

    /// One report in this reporter's style.
    public func render(_ progress: PrewarmProgress, elapsed: Duration) -> String {
        let seconds = elapsed.seconds
        let fraction = progress.totalBytes.flatMap { total in total > 0 ? min(1, Double(progress.bytesRead) / Double(total)) : nil }
        var parts = [PrewarmSummary.records(progress.records), "\(PrewarmSummary.rate(progress.records, seconds)) records/s"]
        if let fraction, fraction > 0, seconds > 0 {
            parts.append("ETA \(Self.clock(seconds * (1 - fraction) / fraction))")
        }
        switch style {
        case .bar(let width):
            let filled = Int((fraction ?? 0) * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let percent = fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? "?%"
            // Carriage return, then clear to the end of the line (ESC [ K) after the text.
            return "\r[\(bar)] \(percent.count < 4 ? String(repeating: " ", count: 4 - percent.count) : "")\(percent)  "
                + parts.joined(separator: "  ") + "\u{1B}[K"
        case .lines:
            let percent = fraction.map { " (\(Int(($0 * 100).rounded(.down)))%)" } ?? ""
            return "prewarm: \(parts[0])\(percent), " + parts.dropFirst().joined(separator: ", ") + "\n"
        }
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}
