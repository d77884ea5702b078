import ArgumentParser
import Foundation
import MockUpstream

/// Runs the mock OpenAI/Anthropic upstream until interrupted.
@main
struct MockUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "semcache-mock-upstream",
        abstract: "A deterministic mock of the OpenAI and Anthropic APIs, for tests, demos and benchmarks.",
        discussion: """
            Request headers: X-Mock-Fault (500 | 429 | drop | drop-mid-stream | slow-first-byte), \
            X-Mock-Delay-Ms (slow-first-byte wait, default 3000), X-Mock-Latency-Ms, X-Mock-Chunk-Delay-Ms, \
            X-Mock-Stream-Gate (hold a stream after its first event until POST /_mock/release?gate=NAME).
            """
    )

    @Option(help: "Port to listen on; 0 picks a free port (the start-up line shows it).")
    var port: Int

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .customLong("latency-ms"), help: "Delay before every response head, in milliseconds.")
    var latencyMilliseconds = 0

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "JSON lines {\"text\": …, \"class\": …}: chat and messages prompts of one class get one answer, like a deterministic LLM (bench/verify).")
    var classes: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() async throws {
        var configuration = MockUpstreamServer.Configuration(host: host, port: port, latency: .milliseconds(latencyMilliseconds))
        if let threads { configuration.threads = threads }
        if let classes {
            do {
                configuration.classes = try MockAnswerClasses(jsonLines: String(contentsOfFile: classes, encoding: .utf8))
            } catch {
                throw ValidationError("--classes \(classes): \(error)")
            }
        }
        let server = try await MockUpstreamServer.start(configuration)
        print("semcache-mock-upstream listening on \(server.baseURL)")
        fflush(nil)  // scripts read the start-up line through a pipe
        try await server.waitUntilStopped()
    }
}
