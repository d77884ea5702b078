/// Finds the elements of `log.entries` in a HAR document fed in chunks, and returns each entry's
/// bytes as soon as it is complete, so a large recording is never parsed (or held) as a whole.
///
/// It tracks only what it needs: strings (so brackets inside them are ignored), object keys at the
/// first two levels, and container nesting. Each entry is then parsed on its own by the reader; an
/// entry that is not valid JSON is reported for that entry only.
struct HAREntryScanner {
    /// A complete element of `log.entries`.
    struct Entry {
        var bytes: [UInt8]
        /// 1-based position in `log.entries`.
        var number: Int
        /// 1-based line where the entry starts.
        var line: Int
    }

    private enum Role { case root, log, entries, entry, other }

    private struct Frame {
        var role: Role
        var isObject: Bool
        var expectingKey: Bool
    }

    /// Whether `log.entries` was found.
    private(set) var foundEntries = false
    /// Whether the input ended inside an entry.
    var isInsideEntry: Bool { captureDepth != nil }
    /// Entries seen so far (complete or not).
    private(set) var entriesStarted = 0
    private(set) var line = 1

    private var stack: [Frame] = []
    private var inString = false
    private var escaped = false
    private var keyBytes: [UInt8] = []
    private var collectingKey = false
    private var lastKey: [UInt8] = []
    private var capture: [UInt8] = []
    private var captureDepth: Int?
    private var entryLine = 1

    /// Consumes the next bytes and returns the entries they complete.
    mutating func feed(_ bytes: [UInt8]) -> [Entry] {
        var completed: [Entry] = []
        var captureStart = captureDepth == nil ? nil : 0 as Int?
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if collectingKey {
                        collectingKey = false
                        lastKey = keyBytes
                    }
                } else if collectingKey, keyBytes.count < 16 {
                    keyBytes.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                if let top = stack.last, top.isObject, top.expectingKey {
                    stack[stack.count - 1].expectingKey = false
                    collectingKey = top.role == .root || top.role == .log
                    keyBytes.removeAll(keepingCapacity: true)
                }
            case UInt8(ascii: ","):
                if let top = stack.last, top.isObject { stack[stack.count - 1].expectingKey = true }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                let role = roleOfNewContainer(isObject: isObject)
                stack.append(Frame(role: role, isObject: isObject, expectingKey: isObject))
                if role == .entries { foundEntries = true }
                if role == .entry {
                    entriesStarted += 1
                    captureDepth = stack.count
                    captureStart = index
                    entryLine = line
                    capture.removeAll(keepingCapacity: true)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !stack.isEmpty else { continue }
                if captureDepth == stack.count, let start = captureStart {
                    capture.append(contentsOf: bytes[start...index])
                    completed.append(Entry(bytes: capture, number: entriesStarted, line: entryLine))
                    captureDepth = nil
                    captureStart = nil
                }
                stack.removeLast()
            default:
                break
            }
        }
        if let start = captureStart, captureDepth != nil { capture.append(contentsOf: bytes[start...]) }
        return completed
    }

    private func roleOfNewContainer(isObject: Bool) -> Role {
        guard let parent = stack.last else { return isObject ? .root : .other }
        switch parent.role {
        case .root where isObject && lastKey == Array("log".utf8): return .log
        case .log where !isObject && lastKey == Array("entries".utf8): return .entries
        case .entries where isObject: return .entry
        default: return .other
        }
    }
}
