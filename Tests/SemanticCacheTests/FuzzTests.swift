import Foundation
import Testing
@testable import SemanticCache

/// A bounded, seeded fuzzer over everything that parses untrusted bytes: random mutations of valid
/// inputs (bit flips, inserted syntax bytes, deletions, truncation, splicing, duplication, deep
/// nesting) must never crash, hang or break an invariant.
///
/// `SEMCACHE_FUZZ_SECONDS` sets the total time (default 3, shared by the targets);
/// `SEMCACHE_FUZZ_SEED` replays a run (every failure message names its seed and iteration).
@Suite struct FuzzTests {
    static let totalSeconds = ProcessInfo.processInfo.environment["SEMCACHE_FUZZ_SECONDS"].flatMap(Double.init) ?? 3
    static let seed = ProcessInfo.processInfo.environment["SEMCACHE_FUZZ_SEED"].flatMap(UInt64.init)
        ?? UInt64(Date().timeIntervalSince1970 * 1000)

    /// One thing to fuzz: valid inputs to start from, and a check that returns a failure message or nil.
    struct Target: Sendable, CustomStringConvertible {
        var name: String
        var seeds: [[UInt8]]
        var check: @Sendable (_ input: [UInt8], _ random: inout SeededGenerator) -> String?
        var description: String { name }
    }

    static let targets: [Target] = [
        Target(name: "canonical JSON", seeds: jsonSeeds, check: checkCanonicalJSON),
        Target(name: "request analysis", seeds: jsonSeeds, check: checkRequestAnalysis),
        Target(name: "SSE parser", seeds: streamSeeds, check: checkSSEParser),
        Target(name: "stream assembler", seeds: streamSeeds, check: checkStreamAssembler),
        // PREWARM-READERS: add the prewarm readers (Sources/SemanticCache/Prewarm/: HAR, JSONL, …) here as
        // Target(name: "prewarm HAR", seeds: [valid files], check: { input, _ in read(input) never crashes; nil }).
    ]

    @Test(arguments: targets)
    func mutatedInputsNeverBreakInvariants(target: Target) {
        var random = SeededGenerator(seed: Self.seed ^ target.name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })
        let deadline = Date().addingTimeInterval(Self.totalSeconds / Double(Self.targets.count))
        var iteration = 0
        while Date() < deadline || iteration < 50 {
            let input = Mutator.mutate(target.seeds, &random)
            if let failure = target.check(input, &random) {
                Issue.record("\(target.name): \(failure) (SEMCACHE_FUZZ_SEED=\(Self.seed), iteration \(iteration), input \(input.prefix(300)))")
                return
            }
            iteration += 1
        }
    }

    // MARK: Seeds

    static let jsonSeeds: [[UInt8]] = [
        #"{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"What is 2+2?"}]}"#,
        #"{"model":"gpt-4o","temperature":0.0,"stream":true,"stream_options":{"include_usage":true},"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"x":{"type":"number"}}}}}],"messages":[{"role":"user","content":[{"type":"text","text":"héllo 😀"}]}]}"#,
        #"{"model":"text-embedding-3-small","input":["a","b",1.5e3,-0.0,1E-7,null,true]}"#,
        #"{"model":"claude-3-5-haiku-latest","max_tokens":64,"temperature":0,"system":"Be brief.","messages":[{"role":"user","content":"Hello \u00e9\ud83d\ude00 \"quoted\" \\ back"}]}"#,
        #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","temperature":0,"max_tokens":7,"logit_bias":{"50256":-100}}"#,
        #"[1,2.50,3e2,{"b":1,"a":[true,false,null]},"\u0000\u001f"]"#,
        #"{"model":"gpt-5-mini","instructions":"Be brief.","store":false,"reasoning":{"effort":"low"},"input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]}]}"#,
    ].map { Array($0.utf8) }

    static let streamSeeds: [[UInt8]] = [
        StreamFixtures.openAIChatText, StreamFixtures.openAIChatToolCallsWithUsage, StreamFixtures.openAICompletion,
        StreamFixtures.anthropicText, StreamFixtures.anthropicToolUse, StreamFixtures.anthropicThinking,
        ResponsesStreamTests.apiStream,
    ].map { Array($0.utf8) }

    // MARK: Checks

    /// canonical(parse(canonical(x))) == canonical(x) for everything that parses.
    static func checkCanonicalJSON(_ input: [UInt8], _ random: inout SeededGenerator) -> String? {
        guard let value = try? JSONValue.parse(input) else { return nil }
        let canonical = value.canonicalBytes
        guard let reparsed = try? JSONValue.parse(canonical) else { return "its canonical form does not parse" }
        guard reparsed.canonicalBytes == canonical else { return "canonical form is not a fixed point" }
        return nil
    }

    /// Analysis never crashes, is deterministic, and does not depend on the body's spelling.
    static func checkRequestAnalysis(_ input: [UInt8], _ random: inout SeededGenerator) -> String? {
        let partition = CachePartition(namespace: "fuzz", credential: "Bearer sk-fuzz", shared: false)
        for endpoint in CacheEndpoint.allCases {
            guard let first = try? CacheRequest.analyse(endpoint: endpoint, body: input, partition: partition) else { continue }
            guard let again = try? CacheRequest.analyse(endpoint: endpoint, body: input, partition: partition),
                  again.exactKey == first.exactKey, again.contextKey == first.contextKey
            else { return "\(endpoint): analysis is not deterministic" }
            guard let respelled = try? CacheRequest.analyse(endpoint: endpoint, body: first.body.compactBytes, partition: partition) else {
                return "\(endpoint): the re-serialised body no longer analyses"
            }
            if respelled.exactKey != first.exactKey { return "\(endpoint): re-serialising the body changed the exact key" }
        }
        return nil
    }

    /// Any split into chunks gives the same events as the whole.
    static func checkSSEParser(_ input: [UInt8], _ random: inout SeededGenerator) -> String? {
        var whole = SSEParser(maxEventBytes: 4096)
        let expected = whole.feed(input)
        let expectedClean = whole.finish()
        var split = SSEParser(maxEventBytes: 4096)
        var events: [SSEEvent] = []
        for chunk in Mutator.chunks(input, &random) { events += split.feed(chunk) }
        if events != expected { return "chunk boundaries changed the events" }
        if split.finish() != expectedClean { return "chunk boundaries changed how the stream ended" }
        return nil
    }

    /// Never crashes; chunking does not matter; a prefix that stops before the terminal event is never complete.
    static func checkStreamAssembler(_ input: [UInt8], _ random: inout SeededGenerator) -> String? {
        for endpoint in [CacheEndpoint.chatCompletions, .completions, .anthropicMessages, .responses] {
            let whole = StreamAssembler.assemble(endpoint: endpoint, stream: input)
            guard var chunked = StreamAssembler(endpoint: endpoint) else { continue }
            for chunk in Mutator.chunks(input, &random) { chunked.feed(chunk) }
            if chunked.finish() != whole { return "\(endpoint): chunk boundaries changed the result" }
            guard whole.response != nil else { continue }
            let terminal = switch endpoint {
            case .anthropicMessages: "message_stop"
            case .responses: "response.completed"
            default: "[DONE]"
            }
            guard let marker = firstRange(of: Array(terminal.utf8), in: input) else { continue }
            let cut = Int.random(in: 0..<marker.upperBound, using: &random)
            if StreamAssembler.assemble(endpoint: endpoint, stream: input[..<cut]).response != nil {
                return "\(endpoint): a transcript cut before its first \(terminal) assembled as complete"
            }
        }
        return nil
    }

    static func firstRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}

/// Byte-level mutations of seed inputs.
enum Mutator {
    static let syntax: [UInt8] = Array(#"{}[]",:\0123456789.eE+-ntfu"#.utf8) + [0x00, 0x0A, 0x0D, 0x20, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xED, 0xF4, 0xFF]

    static func mutate(_ seeds: [[UInt8]], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = seeds.randomElement(using: &random) ?? []
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            guard !bytes.isEmpty else { break }
            let position = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            case 1: bytes.insert(syntax.randomElement(using: &random) ?? 0, at: position)
            case 2: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &random)))
            case 3: bytes.removeSubrange(position...)
            case 4:
                let other = seeds.randomElement(using: &random) ?? []
                let from = Int.random(in: 0...other.count, using: &random)
                bytes.insert(contentsOf: other[from..<min(other.count, from + Int.random(in: 1...64, using: &random))], at: position)
            case 5:
                let end = min(bytes.count, position + Int.random(in: 1...32, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: end)
            case 6:
                let depth = Int.random(in: 1...2000, using: &random)
                let (open, close): (UInt8, UInt8) = Bool.random(using: &random) ? (0x5B, 0x5D) : (0x7B, 0x7D)
                bytes = [UInt8](repeating: open, count: depth) + bytes + [UInt8](repeating: close, count: depth)
            default: bytes[position] = syntax.randomElement(using: &random) ?? 0
            }
        }
        return bytes
    }

    /// `bytes` cut into random pieces (some empty).
    static func chunks(_ bytes: [UInt8], _ random: inout SeededGenerator) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 0...40, using: &random))
            pieces.append(bytes[start..<end])
            start = end
        }
        return pieces
    }
}
