import Foundation
@testable import SemanticCache

/// Finds the prewarm fixtures and reads them to the end.
enum PrewarmFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/prewarm")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }

    /// Everything a reader yields for `inputs`.
    struct Output {
        var records: [PrewarmRecord] = []
        var entries: [ExportedEntry] = []
        var issues: [PrewarmIssue] = []
        var detections: [String] = []
        var bytesRead: Int64 = 0
        var totalBytes: Int64?

        func record(line: Int) -> PrewarmRecord? { records.first { $0.source.line == line } }
        func issue(line: Int) -> PrewarmIssue? { issues.first { $0.source.line == line } }
    }

    static func read(_ inputs: [PrewarmInput], format: PrewarmFormat?) throws -> Output {
        var reader = try PrewarmReader(inputs: inputs, format: format)
        var output = Output(detections: reader.detections, totalBytes: reader.totalBytes)
        while let item = try reader.next() {
            switch item {
            case .record(let record): output.records.append(record)
            case .entry(let entry): output.entries.append(entry)
            case .issue(let issue): output.issues.append(issue)
            }
        }
        output.bytesRead = reader.bytesRead
        return output
    }

    static func read(_ names: String..., format: PrewarmFormat?) throws -> Output {
        try read(names.map { .file(path($0)) }, format: format)
    }
}

extension RecordedAnswer {
    var json: JSONValue? { try? JSONValue.parse(body) }
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The assembled answer of an SSE transcript.
    func assembled(for endpoint: CacheEndpoint) -> JSONValue? {
        StreamAssembler.assemble(endpoint: endpoint, stream: body).response
    }
}
