import Foundation
import TestSupport

/// Runs a program to its end and collects what it printed.
enum ChildProcess {
    /// Runs `executable` with `arguments`; returns its exit status, standard output and standard error.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, out: [UInt8], err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try ProcessLaunch.run(process)
        let data = await Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, Array(data), errorText)
    }
}
