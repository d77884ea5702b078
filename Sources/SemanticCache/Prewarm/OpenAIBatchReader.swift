/// Reads OpenAI Batch API files: input files (`{"custom_id", "method", "url", "body"}` a line) joined with
/// output files (`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}` a line)
/// on `custom_id`.
///
/// Give all the files at once, in any order: each file's first JSON line says whether it is an input
/// (`body`) or an output (`response` or `error`). Output files are indexed first (custom_id → where the
/// line is, not its contents), then input lines are streamed and joined. An input line without output,
/// or whose output has an `error` instead of a response, gives a record without an answer (it can be
/// replayed); an output without input is reported.
struct OpenAIBatchReader: PrewarmFormatReader {
    private struct OutputLocation {
        var file: Int
        var offset: Int64
        var length: Int
        var line: Int
    }

    private let inputs: [PrewarmInput]
    private var outputReaders: [Int: ByteReader] = [:]
    private var inputFiles: [Int] = []
    private var index: [String: OutputLocation] = [:]
    private var matched: Set<String> = []
    private var pending: [PrewarmItem] = []
    private var current: JSONLinesReader?
    private var indexed = false
    private var finished = false
    private var completedBytes: Int64 = 0

    init(_ inputs: [PrewarmInput]) throws(PrewarmReadError) {
        self.inputs = inputs
        for (number, input) in inputs.enumerated() {
            switch try Self.role(of: input) {
            case .input: inputFiles.append(number)
            case .output: outputReaders[number] = try input.open()
            }
        }
        inputFiles.reverse()
    }

    var bytesRead: Int64 { completedBytes + (current?.bytesRead ?? 0) }

    mutating func next() throws(PrewarmReadError) -> PrewarmItem? {
        if !indexed {
            try indexOutputs()
            indexed = true
        }
        while true {
            if !pending.isEmpty { return pending.removeLast() }
            if let line = try current?.next() {
                return try join(line)
            }
            if let reader = current {
                completedBytes += reader.bytesRead
                current = nil
            }
            if let file = inputFiles.popLast() {
                current = JSONLinesReader(try inputs[file].open())
            } else if !finished {
                finished = true
                reportUnmatchedOutputs()
            } else {
                return nil
            }
        }
    }

    private enum Role { case input, output }

    /// Input or output, from the first line that is a JSON object.
    private static func role(of input: PrewarmInput) throws(PrewarmReadError) -> Role {
        var lines = JSONLinesReader(try input.open())
        while let line = try lines.next() {
            guard case .success(let json) = line.json, case .object = json else { continue }
            if json["body"] != nil { return .input }
            if json["response"] != nil || json["error"] != nil { return .output }
            break
        }
        throw .undetectable(input.name, seen: "its first JSON line has neither \"body\" (an input file) nor \"response\"/\"error\" (an output file)")
    }

    private mutating func indexOutputs() throws(PrewarmReadError) {
        var issues: [PrewarmItem] = []
        for (file, reader) in outputReaders.sorted(by: { $0.key < $1.key }) {
            var lines = JSONLinesReader(reader)
            while let line = try lines.next() {
                let source = PrewarmSource(file: reader.name, line: line.number)
                switch line.json {
                case .failure(let issue): issues.append(.issue(issue))
                case .success(let json):
                    guard let id = json["custom_id"]?.string else {
                        issues.append(IssueFactory(source: source).malformed("no custom_id"))
                        continue
                    }
                    if let earlier = index[id] {
                        issues.append(IssueFactory(source: source).malformed(
                            "custom_id \(id) already has an output at line \(earlier.line); this one is ignored"))
                        continue
                    }
                    index[id] = OutputLocation(file: file, offset: line.offset, length: line.length, line: line.number)
                }
            }
            completedBytes += lines.bytesRead
        }
        pending = issues.reversed()
    }

    private mutating func join(_ line: JSONLinesReader.Line) throws(PrewarmReadError) -> PrewarmItem {
        let source = PrewarmSource(file: current?.reader.name ?? "", line: line.number)
        let issues = IssueFactory(source: source)
        let json: JSONValue
        switch line.json {
        case .failure(let issue): return .issue(issue)
        case .success(let value): json = value
        }
        guard let id = json["custom_id"]?.string else { return issues.malformed("no custom_id") }
        guard let url = json["url"]?.string else { return issues.malformed("no url") }
        if let method = json["method"]?.string, method != "POST" { return issues.malformed("method \(method) is not POST") }
        guard let endpoint = RecordedEndpoint.match(pathOrURL: url) else { return issues.notCached(url) }
        let request: JSONValue
        switch issues.requestObject(json["body"], name: "body") {
        case .success(let value): request = value
        case .failure(let issue): return .issue(issue)
        }
        var answer: RecordedAnswer?
        if let location = index[id] {
            matched.insert(id)
            switch try readAnswer(at: location) {
            case .success(let value): answer = value
            case .failure(let issue): return .issue(issue)
            }
        }
        return .record(PrewarmRecord(endpoint: endpoint, request: request, response: answer, source: source))
    }

    /// The answer in the output line at `location`; `nil` for an `error` line.
    private func readAnswer(at location: OutputLocation) throws(PrewarmReadError) -> Result<RecordedAnswer?, PrewarmIssue> {
        guard let reader = outputReaders[location.file] else { return .success(nil) }
        let issues = IssueFactory(source: PrewarmSource(file: reader.name, line: location.line))
        let bytes = try reader.read(at: location.offset, count: location.length)
        guard let json = try? JSONValue.parse(bytes) else { return .failure(issues.issue(.malformed, "the output line changed while reading")) }
        guard let response = json["response"], !response.isNull else { return .success(nil) }
        guard let status = response["status_code"]?.int else {
            return .failure(issues.issue(.malformed, "response has no integer status_code"))
        }
        guard let body = response["body"], case .object = body else {
            return .failure(issues.issue(.malformed, "response.body is not a JSON object"))
        }
        return .success(RecordedAnswer(
            status: status, body: body.compactBytes, isStream: false, usage: body["usage"], timestamp: body["created"]?.double))
    }

    private mutating func reportUnmatchedOutputs() {
        let unmatched = index.filter { !matched.contains($0.key) }.sorted { ($0.value.file, $0.value.line) < ($1.value.file, $1.value.line) }
        pending = unmatched.reversed().map { id, location in
            let source = PrewarmSource(file: outputReaders[location.file]?.name ?? "", line: location.line)
            return IssueFactory(source: source).malformed("custom_id \(id) has no line in the input files given (no request)")
        }
    }
}
