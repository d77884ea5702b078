/// Reads prewarm records from logs of any supported format, one record (or issue) at a time.
///
/// ```swift
/// var reader = try PrewarmReader(inputs: [.file("traffic.jsonl")], format: nil)
/// for line in reader.detections { print(line) }   // what `auto` chose
/// while let item = try reader.next() { … }
/// ```
///
/// Inputs are read in order, in chunks (JSONL line by line, HAR entry by entry). With `format: nil`
/// (`--format auto`) each input's format is detected; OpenAI Batch files are read together so inputs and
/// outputs can be joined. A bad line or entry is an ``PrewarmItem/issue(_:)`` and reading goes on; only
/// an input that cannot be opened, read or recognised throws.
public struct PrewarmReader {
    private var readers: [any PrewarmFormatReader]
    private var completedBytes: Int64 = 0
    /// One line per input saying which format was used and why, e.g.
    /// `traffic.jsonl: semcache traffic log (20 of the first 20 JSON lines have time, endpoint, request and status)`.
    public private(set) var detections: [String] = []
    /// The inputs' total size in bytes, when known for all of them (for progress).
    public let totalBytes: Int64?

    /// Prepares to read `inputs` as `format`, or detects each input's format when `format` is nil.
    public init(inputs: [PrewarmInput], format: PrewarmFormat?) throws(PrewarmReadError) {
        var formats: [PrewarmFormat] = []
        var sizes: [Int64?] = []
        for input in inputs {
            sizes.append(try input.open().size)
            if let format {
                formats.append(format)
            } else {
                let detection = try PrewarmFormatDetector.detect(input)
                formats.append(detection.format)
                detections.append("\(input.name): \(detection.format.displayName) (\(detection.explanation))")
            }
        }
        totalBytes = sizes.contains { $0 == nil } ? nil : sizes.reduce(0) { $0 + ($1 ?? 0) }
        var readers: [any PrewarmFormatReader] = []
        let batchFiles = zip(inputs, formats).filter { $0.1 == .openAIBatch }.map(\.0)
        var batchAdded = false
        for (input, format) in zip(inputs, formats) {
            switch format {
            case .semcache: readers.append(try JSONLinesFormatReader(input, parse: TrafficLogLineParser.item))
            case .pairs: readers.append(try JSONLinesFormatReader(input, parse: PairsLineParser.item))
            case .har: readers.append(try HARReader(input))
            case .export: readers.append(try JSONLinesFormatReader(input, parse: ExportedEntry.item))
            case .openAIBatch:
                guard !batchAdded else { continue }
                batchAdded = true
                readers.append(try OpenAIBatchReader(batchFiles))
            }
        }
        self.readers = readers.reversed()
    }

    /// Bytes read so far over all inputs.
    public var bytesRead: Int64 { completedBytes + (readers.last?.bytesRead ?? 0) }

    /// The next record or issue, or `nil` when every input is read.
    public mutating func next() throws(PrewarmReadError) -> PrewarmItem? {
        while !readers.isEmpty {
            if let item = try readers[readers.count - 1].next() { return item }
            completedBytes += readers.removeLast().bytesRead
        }
        return nil
    }
}
