import Foundation
import TestSupport

/// The `semcache` binary (`swift build` puts it in `.build/debug/semcache`) run as a user runs it:
/// a subprocess with its standard output and error captured.
struct CLIRun {
    static let binary = SDKClient.repositoryRoot.appendingPathComponent(".build/debug/semcache")

    var status: Int32
    var output: String
    var errors: String

    struct CLIMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing: run `swift build --product semcache` first" }
    }

    /// Starts `semcache arguments…` with `environment` added to this process's, in `directory`.
    static func launch(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> (Process, Pipe, Pipe) {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw CLIMissing(path: binary.path) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try ProcessLaunch.run(process)
        return (process, output, errors)
    }

    /// Reads both outputs to their end and waits for the exit.
    static func finish(_ process: Process, _ output: Pipe, _ errors: Pipe) -> CLIRun {
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    /// Runs `semcache arguments…` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> CLIRun {
        let (process, output, errors) = try launch(arguments, environment: environment, directory: directory)
        return finish(process, output, errors)
    }
}
