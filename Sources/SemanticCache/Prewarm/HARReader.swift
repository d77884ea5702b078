import Foundation

/// Reads HAR 1.2 recordings (Chrome and Firefox devtools, Playwright, mitmproxy): every
/// `log.entries` element that is a `POST` to a cached endpoint with a JSON body becomes a record.
///
/// - The URL may have any scheme, host and path prefix: the path must *end* with a cached
///   endpoint's path (`https://gateway.example.com/openai/v1/chat/completions` counts).
/// - The answer is `response.content.text`, base64-decoded when `content.encoding` is `base64`;
///   `text/event-stream` answers are kept as SSE transcripts. Entries without content, or with status 0
///   (blocked or failed in the browser), give records without an answer.
/// - `startedDateTime` is the timestamp, `time` the upstream latency.
/// - Headers, cookies and query strings are never read, so credentials never reach a record.
/// - Other entries (page loads, images, other APIs) are reported as `ignored`.
struct HARReader: PrewarmFormatReader {
    private let reader: ByteReader
    private var scanner = HAREntryScanner()
    private var ready: [HAREntryScanner.Entry] = []
    private var finished = false
    private(set) var bytesRead: Int64 = 0

    init(_ input: PrewarmInput) throws(PrewarmReadError) {
        reader = try input.open()
    }

    mutating func next() throws(PrewarmReadError) -> PrewarmItem? {
        while ready.isEmpty {
            guard !finished else { return nil }
            let chunk = try reader.readChunk()
            bytesRead += Int64(chunk.count)
            if chunk.isEmpty {
                finished = true
                guard scanner.foundEntries else { throw .notHAR(reader.name) }
                if scanner.isInsideEntry {
                    let source = PrewarmSource(file: reader.name, entry: scanner.entriesStarted)
                    return IssueFactory(source: source).malformed("the file ends inside this entry (truncated recording?)")
                }
                return nil
            }
            ready = scanner.feed(chunk)
            ready.reverse()
        }
        return Self.item(from: ready.removeLast(), file: reader.name)
    }

    static func item(from entry: HAREntryScanner.Entry, file: String) -> PrewarmItem {
        let issues = IssueFactory(source: PrewarmSource(file: file, line: entry.line, entry: entry.number))
        let json: JSONValue
        do {
            json = try JSONValue.parse(entry.bytes)
        } catch {
            return issues.malformed("not JSON: \(error) (from the entry's start)")
        }
        let request = json["request"]
        guard let method = request?["method"]?.string, let url = request?["url"]?.string else {
            return issues.malformed("no request.method or request.url")
        }
        let path = RecordedEndpoint.path(of: url)
        guard method == "POST", let endpoint = RecordedEndpoint.match(pathOrURL: path) else {
            return .issue(issues.issue(.ignored, "\(method) \(path) is not a POST to a cached endpoint"))
        }
        guard let text = request?["postData"]?["text"]?.string else {
            return issues.malformed("the request body is not in the recording (no request.postData.text)")
        }
        let body: JSONValue
        do {
            body = try JSONValue.parse(text)
        } catch {
            return issues.malformed("the request body is not JSON: \(error)")
        }
        guard case .object = body else { return issues.malformed("the request body is not a JSON object") }
        switch answer(json, request: body) {
        case .success(let answer):
            return .record(PrewarmRecord(endpoint: endpoint, request: body, response: answer, source: issues.source))
        case .failure(let problem):
            return issues.malformed(problem.reason)
        }
    }

    private struct AnswerProblem: Error {
        var reason: String
    }

    private static func answer(_ entry: JSONValue, request: JSONValue) -> Result<RecordedAnswer?, AnswerProblem> {
        guard let response = entry["response"], let status = response["status"]?.int, status > 0,
              let content = response["content"], var text = content["text"]?.string
        else { return .success(nil) }
        var bytes: [UInt8]
        if content["encoding"]?.string?.lowercased() == "base64" {
            text.removeAll { $0.isWhitespace }
            guard let decoded = Data(base64Encoded: text) else {
                return .failure(AnswerProblem(reason: "response.content.text is not valid base64"))
            }
            bytes = [UInt8](decoded)
        } else {
            bytes = Array(text.utf8)
        }
        let mimeType = content["mimeType"]?.string?.lowercased() ?? ""
        let looksLikeEvents = bytes.starts(with: Array("data:".utf8)) || bytes.starts(with: Array("event:".utf8))
        let isStream = mimeType.hasPrefix("text/event-stream") || (request["stream"]?.bool == true && looksLikeEvents)
        return .success(RecordedAnswer(
            status: status, body: bytes, isStream: isStream,
            usage: isStream ? nil : (try? JSONValue.parse(bytes))?["usage"],
            upstreamMilliseconds: entry["time"]?.double,
            timestamp: entry["startedDateTime"]?.string.flatMap(ISO8601Timestamp.parse)))
    }
}
