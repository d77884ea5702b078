import Foundation
import TestSupport
import Testing

/// The real `semcache` binary run as a child process, with stdout and stderr captured in files
/// (so heavy trace logging can never block it on a full pipe).
final class SidecarProcess: @unchecked Sendable {
    // @unchecked Sendable: `Process` is used from one test at a time; its methods are thread-safe for these calls.
    let process: Process
    let port: Int
    let stdoutPath: String
    let stderrPath: String

    struct LaunchFailed: Error, CustomStringConvertible { var description: String }

    /// `.build/debug/semcache`, built by `swift build` (`make test` builds it before the tests).
    static var binary: URL { CLIRun.binary }

    private init(process: Process, port: Int, stdoutPath: String, stderrPath: String) {
        self.process = process
        self.port = port
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// Starts `semcache serve` on a free port and waits for its start-up line. `environment` is
    /// added to this process's; `directory` is the working directory.
    static func launch(
        upstream: String, database: String, embedder: [String] = ["--embedder", "none"], extraArguments: [String] = [],
        environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> SidecarProcess {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw LaunchFailed(description: "\(binary.path) is missing: run `swift build` (or `make test`) first")
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-proc-\(UUID().uuidString)").path
        let stdoutPath = base + ".out", stderrPath = base + ".err"
        for path in [stdoutPath, stderrPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw LaunchFailed(description: "cannot create \(path)") }
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--upstream", upstream, "--port", "0", "--db", database] + embedder + extraArguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try ProcessLaunch.run(process)
        for _ in 0..<3000 {
            let output = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if let range = output.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
               let port = Int(output[range].split(separator: ":").last ?? "") {
                if output.contains("loading its index") { try await waitForLog("loaded the index", in: stderrPath) }
                return SidecarProcess(process: process, port: port, stdoutPath: stdoutPath, stderrPath: stderrPath)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.terminate()
        let errors = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw LaunchFailed(description: "semcache did not start: \(errors)")
    }

    /// Waits (bounded) until the log file holds `line`: tests expect the cache of a restarted
    /// sidecar to answer, which it does once its index is loaded.
    private static func waitForLog(_ line: String, in path: String) async throws {
        for _ in 0..<3000 {
            if ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains(line) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// What the process wrote to standard output so far (the start-up line).
    var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Stops the process (SIGTERM), waits for it and removes its captured output.
    func stop() async throws {
        signal(SIGTERM)
        _ = try await waitForExit()
        removeCapturedOutput()
    }

    /// Waits for the process to exit; returns its exit status.
    func waitForExit() async throws -> Int32 {
        let process = process
        return try await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    var capturedOutput: [UInt8] {
        [stdoutPath, stderrPath].flatMap { (FileManager.default.contents(atPath: $0).map(Array.init)) ?? [] }
    }

    func removeCapturedOutput() {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}
