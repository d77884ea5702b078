/// An incremental server-sent events parser following the WHATWG EventSource specification.
///
/// Feed it bytes as they arrive, in chunks of any size: line ends may be `\n`, `\r\n` or `\r` (also split
/// across chunks), a UTF-8 byte order mark at the very start is skipped, comments (`:`) are ignored,
/// `data:` lines are joined with "\n", `id:` persists, `retry:` sets ``reconnectionTime``, and a field
/// without a colon has an empty value. Invalid UTF-8 is decoded with U+FFFD, as the specification says.
///
/// Memory is bounded: when one event (its data plus the line being read) grows beyond ``maxEventBytes``,
/// the parser enters an error state (``failure``) and ignores the rest of the stream.
public struct SSEParser: Sendable {
    /// The default per-event limit: 8 MiB.
    public static let defaultMaxEventBytes = 8 << 20

    public let maxEventBytes: Int
    /// Set once an event exceeded ``maxEventBytes``; nothing is parsed after that.
    public private(set) var failure: SSEParseError?
    /// The last `id:` value seen (the "last event ID buffer").
    public private(set) var lastEventID = ""
    /// The last valid `retry:` value in milliseconds.
    public private(set) var reconnectionTime: Int?

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var eventType: [UInt8] = []
    private var previousWasCR = false
    private var isFirstLine = true

    public init(maxEventBytes: Int = SSEParser.defaultMaxEventBytes) {
        self.maxEventBytes = maxEventBytes
    }

    /// Parses the next bytes of the stream and returns the events they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        guard failure == nil else { return events }
        for byte in bytes {
            if previousWasCR {
                previousWasCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                previousWasCR = byte == 0x0D
                processLine(into: &events)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
                if line.count + data.count > maxEventBytes {
                    failure = SSEParseError(limit: maxEventBytes)
                    line = []
                    data = []
                    return events
                }
            }
        }
        return events
    }

    /// Ends the stream. A partly received event is discarded (as the specification requires);
    /// returns `true` when the stream ended cleanly at an event boundary with no error.
    @discardableResult
    public mutating func finish() -> Bool {
        let clean = failure == nil && line.isEmpty && data.isEmpty && eventType.isEmpty
        line = []
        data = []
        eventType = []
        return clean
    }

    private mutating func processLine(into events: inout [SSEEvent]) {
        if isFirstLine {
            isFirstLine = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") { return }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event":
            eventType = Array(value)
        case "data":
            data.append(contentsOf: value)
            data.append(0x0A)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let milliseconds = Int(String(decoding: value, as: UTF8.self)) {
                reconnectionTime = milliseconds
            }
        default:
            break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            eventType.removeAll(keepingCapacity: true)
        }
        guard !data.isEmpty else { return }
        data.removeLast()
        events.append(SSEEvent(
            event: eventType.isEmpty ? "message" : String(decoding: eventType, as: UTF8.self),
            data: String(decoding: data, as: UTF8.self),
            id: lastEventID
        ))
    }
}
