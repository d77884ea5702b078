import Foundation

/// The layouts of the labelled pair files in `../shared/eval` (see its README.md), and of the
/// hand-written probe set `bench/quality/probe_pairs.tsv`.
enum EvalFormat: String, CaseIterable, Sendable {
    case llm, qqp, paws, gptcache, followup, stsb, probe

    /// The file of this format read when no `--file` is given: in the shared eval directory, or
    /// for the probe set in `bench/quality` (paths relative to the repository root).
    func defaultFile(evalDirectory: URL) -> URL {
        switch self {
        case .llm: evalDirectory.appendingPathComponent("llm_queries_pairs.csv")
        case .qqp: evalDirectory.appendingPathComponent("qqp_val.csv")
        case .paws: evalDirectory.appendingPathComponent("paws_dev.tsv")
        case .gptcache: evalDirectory.appendingPathComponent("gptcache_mock_pairs.json")
        case .followup: evalDirectory.appendingPathComponent("followup_queries.json")
        case .stsb: evalDirectory.appendingPathComponent("stsb_dev.tsv")
        case .probe: URL(fileURLWithPath: "bench/quality/probe_pairs.tsv")
        }
    }

    /// Whether `--split` applies: the probe set was never fitted on, so it is always read whole.
    var isSplit: Bool { self != .probe }
}

/// Two texts and whether a semantic hit between them would be right. `query` is the text sent,
/// `stored` the one already in the cache.
struct LabelledPair: Sendable {
    var stored: String
    var query: String
    var isParaphrase: Bool
}

/// Reads labelled pairs; the same conventions as `bench/quality/evaldata.py`.
enum EvalReader {
    static func read(_ url: URL, format: EvalFormat) throws -> [LabelledPair] {
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        switch format {
        case .llm, .qqp:
            let rows = CSVRows.parse(text).dropFirst()
            return rows.compactMap { row in
                guard row.count >= 3, let label = Int(row[2]) else { return nil }
                return LabelledPair(stored: row[0], query: row[1], isParaphrase: label == 1)
            }
        case .paws:
            return tabRows(text).compactMap { row in
                guard row.count >= 4, row[3] == "0" || row[3] == "1" else { return nil }
                return LabelledPair(stored: row[1], query: row[2], isParaphrase: row[3] == "1")
            }
        case .stsb:
            // Score 4 or more of 5 means "mostly equivalent"; everything lower counts as a different question.
            return tabRows(text).compactMap { row in
                guard row.count >= 7, let score = Double(row[4]) else { return nil }
                return LabelledPair(stored: row[5], query: row[6], isParaphrase: score >= 4)
            }
        case .probe:
            // category, label, stored, query; lines starting with # are its header.
            return tabRows(text).compactMap { row in
                guard !row[0].hasPrefix("#"), row.count >= 4, row[1] == "0" || row[1] == "1" else { return nil }
                return LabelledPair(stored: row[2], query: row[3], isParaphrase: row[1] == "1")
            }
        case .gptcache:
            let items = try JSONDecoder().decode([GPTCachePair].self, from: data)
            return items.map { LabelledPair(stored: $0.origin, query: $0.similar, isParaphrase: true) }
        case .followup:
            // The follow-up arrives as a new single-turn prompt; its main query is in the cache.
            let items = try JSONDecoder().decode([FollowUp].self, from: data)
            return items.map { LabelledPair(stored: $0.main, query: $0.followUp, isParaphrase: false) }
        }
    }

    /// Lines split at any line break: paws_dev.tsv ends its lines with CRLF, which Swift reads as
    /// one `Character`, so splitting on "\n" alone would leave the whole file as one line.
    private static func tabRows(_ text: String) -> [[String]] {
        text.split(whereSeparator: \.isNewline).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    private struct GPTCachePair: Decodable {
        var origin: String
        var similar: String
    }

    private struct FollowUp: Decodable {
        var main: String
        var followUp: String
        enum CodingKeys: String, CodingKey {
            case main = "Main Query"
            case followUp = "Follow-Up Query"
        }
    }
}
