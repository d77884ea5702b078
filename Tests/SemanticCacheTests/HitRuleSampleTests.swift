import Foundation
import Testing

@testable import SemanticCache

/// The Swift hit rule must decide like its Python reference (`bench/quality/hitrule.py`) on the
/// committed sample of made-up pairs, `bench/quality/hitrule_sample.tsv`:
/// query, stored prompt, MiniLM cosine, expected accepted (0/1), expected reason (up to the first colon).
@Suite struct HitRuleSampleTests {
    @Test func matchesPythonReference() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("bench/quality/hitrule_sample.tsv"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count >= 30)
        for row in rows {
            try #require(row.count == 5, "malformed sample row: \(row)")
            let cosine = try #require(Float(row[2]))
            let decision = HitRule.standard.evaluate(query: row[0], candidate: row[1], cosine: cosine)
            let reason = decision.reason.split(separator: ":").first.map(String.init) ?? ""
            #expect(decision.accepted == (row[3] == "1"), "\(row[0]) / \(row[1]): \(decision.reason)")
            #expect(reason == row[4], "\(row[0]) / \(row[1])")
        }
    }
}
