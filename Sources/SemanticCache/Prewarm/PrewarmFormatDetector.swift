/// Tells a log's format from its first bytes (`--format auto`).
///
/// - HAR: a JSON document whose `log.entries` array starts within the first MiB.
/// - Otherwise JSONL: the first 20 JSON lines are classified one by one:
///   `custom_id` → openai-batch; `semcache_export` → semcache-export; `time`, `endpoint`, `request` and `status` → semcache;
///   `request` and `response` (and not semcache) → pairs.
///
/// The format is chosen only when every classified line agrees and no line fits two formats; otherwise
/// detection fails with what it saw, and the caller must pass `--format`.
public enum PrewarmFormatDetector {
    /// The bytes examined.
    public static let sniffBytes = 1 << 20
    /// The JSON lines examined.
    public static let sniffLines = 20

    /// The chosen format and why, e.g. `pairs (lines 1–20 have request and response)`.
    public struct Detection: Sendable {
        public var format: PrewarmFormat
        public var explanation: String
    }

    public static func detect(_ input: PrewarmInput) throws(PrewarmReadError) -> Detection {
        let prefix = try input.open().prefix(sniffBytes)
        var scanner = HAREntryScanner()
        _ = scanner.feed(prefix)
        if scanner.foundEntries {
            return Detection(format: .har, explanation: "a JSON document with log.entries")
        }
        var lines = JSONLinesReader(MemoryByteReader(bytes: prefix, name: input.name))
        var votes: [PrewarmFormat: [Int]] = [:]
        var examined = 0
        var firstMembers: String?
        while examined < sniffLines, let line = try lines.next() {
            // The last line of a truncated prefix is incomplete.
            if prefix.count == sniffBytes, lines.bytesRead == Int64(prefix.count), line.json.isFailure { break }
            guard case .success(let json) = line.json, let members = json.object else { continue }
            examined += 1
            if firstMembers == nil { firstMembers = members.map(\.key).joined(separator: ", ") }
            let formats = formats(of: json)
            if formats.count > 1 {
                throw .ambiguous(input.name, formats, seen: "line \(line.number) fits both (members: \(members.map(\.key).joined(separator: ", ")))")
            }
            if let format = formats.first { votes[format, default: []].append(line.number) }
        }
        guard examined > 0 else {
            throw .undetectable(input.name, seen: "it is neither a HAR document nor JSON lines (no JSON object in the first \(sniffLines) lines)")
        }
        switch votes.count {
        case 0:
            throw .undetectable(input.name, seen: "its lines match no known format (first line's members: \(firstMembers ?? ""))")
        case 1:
            let (format, numbers) = votes.first!
            return Detection(format: format, explanation: "\(numbers.count) of the first \(examined) JSON lines have \(signature(of: format))")
        default:
            let seen = votes.sorted { $0.value[0] < $1.value[0] }
                .map { "line \($0.value[0]) looks like \($0.key.rawValue)" }.joined(separator: ", ")
            throw .ambiguous(input.name, votes.keys.sorted { $0.rawValue < $1.rawValue }, seen: seen)
        }
    }

    /// The formats one JSON line fits.
    static func formats(of line: JSONValue) -> [PrewarmFormat] {
        var formats: [PrewarmFormat] = []
        if line["custom_id"] != nil { formats.append(.openAIBatch) }
        if line[EntryExport.marker] != nil { formats.append(.export) }
        let isTrafficLog = ["time", "endpoint", "request", "status"].allSatisfy { line[$0] != nil }
        if isTrafficLog {
            formats.append(.semcache)
        } else if line["request"] != nil, line["response"] != nil {
            formats.append(.pairs)
        }
        return formats
    }

    private static func signature(of format: PrewarmFormat) -> String {
        switch format {
        case .semcache: "time, endpoint, request and status"
        case .pairs: "request and response"
        case .openAIBatch: "custom_id"
        case .har: "log.entries"
        case .export: EntryExport.marker
        }
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
