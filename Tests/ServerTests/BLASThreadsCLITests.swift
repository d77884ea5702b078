import Foundation
import MockUpstream
import Testing

/// `--blas-threads` through the real binary: the start-up line of `serve` says how many OpenBLAS
/// threads it chose and why, and a count below one is refused before anything starts.
@Suite struct BLASThreadsCLITests {
    @Test func startUpLineSaysTheChosenCountAndWhereItCameFrom() async throws {
        let model = SharedModel.directory.path
        try #require(FileManager.default.fileExists(atPath: model + "/model.safetensors"), "needs the MiniLM model (make model, or SEMCACHE_MODEL_DIR)")
        let output = try await Harness.withMock { mock in
            let sidecar = try await SidecarProcess.launch(
                upstream: mock.baseURL, database: Harness.temporaryDatabase(),
                extraArguments: ["--embedder", "minilm", "--model-dir", model, "--blas-threads", "3"])
            sidecar.signal(SIGTERM)
            _ = try await sidecar.waitForExit()
            let output = String(decoding: sidecar.capturedOutput, as: UTF8.self)
            sidecar.removeCapturedOutput()
            return output
        }
        #expect(output.contains("semantic hits with minilm-l6-v2"), "\(output)")
        #expect(output.contains("BLAS threads: 3 (--blas-threads)"), "\(output)")
    }

    @Test func aCountBelowOneIsRefused() throws {
        let result = try StatsCommandTests.semcache(["embed", "--blas-threads", "0", "a question"])
        #expect(result.status != 0)
        #expect(result.err.contains("--blas-threads must be at least 1, got 0"), "\(result.err)")
    }
}
