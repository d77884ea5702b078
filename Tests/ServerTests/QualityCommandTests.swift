import Foundation
import TestSupport
import Testing

/// `semcache-quality` (the `bench/quality` command) run as a subprocess on small pair files in the
/// formats of the shared eval files (`bench/quality`), with embeddings given in a cache file so the cosines are known.
@Suite struct QualityCommandTests {
    /// Three PAWS-style pairs with CRLF line ends (as `paws_dev.tsv` has): a word swap at cosine
    /// 0.99, a paraphrase at 0.99 and an unrelated pair at 0.5; and one follow-up at 0.99.
    @Test func scoresPairFilesWithKnownCosines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-quality-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pairs: [(stored: String, query: String, cosine: Float)] = [
            ("cheap flights from Paris to Rome", "cheap flights from Rome to Paris", 0.99),
            ("How do I reverse a list in Python?", "How can I reverse a list in Python?", 0.99),
            ("Water boils at 100 degrees", "Ice melts at 0 degrees", 0.5),
            ("What is the capital of France?", "And what about Spain?", 0.99),
        ]
        let paws = "1\t\(pairs[0].stored)\t\(pairs[0].query)\t0\r\n2\t\(pairs[1].stored)\t\(pairs[1].query)\t1\r\n"
            + "3\t\(pairs[2].stored)\t\(pairs[2].query)\t0\r\n"
        try Data(paws.utf8).write(to: directory.appendingPathComponent("pairs.tsv"))
        let followUps = [["Main Query": pairs[3].stored, "Main Query Response": "Paris.", "Follow-Up Query": pairs[3].query,
                          "Follow Up Query Response": "Madrid."]]
        try JSONSerialization.data(withJSONObject: followUps).write(to: directory.appendingPathComponent("followups.json"))
        try Self.writeEmbeddings(pairs, to: directory.appendingPathComponent("vectors.bin"))

        let binary = StatsCommandTests.packageRoot.appendingPathComponent(".build/debug/semcache-quality")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build it first: swift build --product semcache-quality")
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "--file", directory.appendingPathComponent("pairs.tsv").path, "--format", "paws",
            "--file", directory.appendingPathComponent("followups.json").path, "--format", "followup",
            "--embeddings", directory.appendingPathComponent("vectors.bin").path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try ProcessLaunch.run(process)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }

        #expect(lines.contains("== pairs.tsv (paws): 3 pairs, 1 paraphrases =="), "\(text)")
        // The rule vetoes the swap and keeps the paraphrase; a bare 0.90 threshold takes both.
        #expect(lines.contains { $0.hasPrefix("hit rule (t=0.83) | 1 1.000 1.000 0.000 |") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("cosine >= 0.90 | 2 0.500 1.000 0.500 |") }, "\(text)")
        #expect(lines.contains("follow-up prompts that hit their main query (rule, then cosine [0.8, 0.85, 0.9, 0.95]): [0, 1, 1, 1, 1]"), "\(text)")
    }

    /// The cache-file layout: u32 count, u32 dimension, then per text u32 length, UTF-8, floats.
    private static func writeEmbeddings(_ pairs: [(stored: String, query: String, cosine: Float)], to url: URL) throws {
        var data = Data()
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(UInt32(pairs.count * 2))
        append(2)
        for pair in pairs {
            for (text, vector) in [(pair.stored, [Float(1), 0]), (pair.query, [pair.cosine, (1 - pair.cosine * pair.cosine).squareRoot()])] {
                append(UInt32(text.utf8.count))
                data.append(contentsOf: Array(text.utf8))
                for value in vector { append(value.bitPattern) }
            }
        }
        try data.write(to: url)
    }
}
