import Testing
@testable import SemanticCache

@Suite struct PrewarmDetectionTests {
    @Test(arguments: [
        ("pairs.jsonl", PrewarmFormat.pairs), ("traffic.jsonl", .semcache), ("batch-input.jsonl", .openAIBatch),
        ("batch-output.jsonl", .openAIBatch), ("chrome-devtools.har", .har), ("playwright.har", .har),
    ])
    func detectsEachFixture(file: String, format: PrewarmFormat) throws {
        let detection = try PrewarmFormatDetector.detect(.file(PrewarmFixtures.path(file)))
        #expect(detection.format == format)
        #expect(!detection.explanation.isEmpty)
    }

    @Test func aLineThatFitsTwoFormatsIsAmbiguous() throws {
        #expect {
            try PrewarmFormatDetector.detect(.file(PrewarmFixtures.path("ambiguous.jsonl")))
        } throws: { error in
            let message = "\(error)"
            return message.contains("openai-batch") && message.contains("pairs") && message.contains("--format")
                && message.contains("line 1")
        }
    }

    @Test func linesThatDisagreeAreAmbiguous() throws {
        let text = """
            {"request": {"input": "a"}, "response": {}}
            {"custom_id": "x", "method": "POST", "url": "/v1/embeddings", "body": {"input": "b"}}
            """
        #expect {
            try PrewarmFormatDetector.detect(.bytes(Array(text.utf8), name: "mixed.jsonl"))
        } throws: { error in
            "\(error)".contains("line 1 looks like pairs") && "\(error)".contains("line 2 looks like openai-batch")
        }
    }

    @Test func unknownFilesSayWhatWasSeen() throws {
        #expect {
            try PrewarmFormatDetector.detect(.file(PrewarmFixtures.path("finetune.jsonl")))
        } throws: { error in
            "\(error)".contains("prompt, completion") && "\(error)".contains("pass --format")
        }
        #expect {
            try PrewarmFormatDetector.detect(.bytes(Array("hello\nworld\n".utf8), name: "notes.txt"))
        } throws: { error in
            "\(error)".contains("cannot tell the format of notes.txt")
        }
    }

    @Test func malformedFirstLinesDoNotPreventDetection() throws {
        let text = "not json\n{\"request\": {\"input\": \"a\"}, \"response\": {}}\n"
        #expect(try PrewarmFormatDetector.detect(.bytes(Array(text.utf8), name: "m.jsonl")).format == .pairs)
    }

    @Test func autoReadsMixedInputsAndSaysWhatItChose() throws {
        let output = try PrewarmFixtures.read(
            "traffic.jsonl", "chrome-devtools.har", "batch-output.jsonl", "pairs.jsonl", "batch-input.jsonl", format: nil)
        #expect(output.detections.count == 5)
        #expect(output.detections[1].contains("chrome-devtools.har: HAR"))
        let files = output.records.map { $0.source.file.split(separator: "/").last! }
        #expect(files.filter { $0 == "batch-input.jsonl" }.count == 5)
        #expect(files.filter { $0 == "traffic.jsonl" }.count == 5)
        #expect(files.filter { $0 == "chrome-devtools.har" }.count == 3)
        #expect(files.filter { $0 == "pairs.jsonl" }.count == 8)
        #expect(output.bytesRead == output.totalBytes)
    }

    @Test func aMissingFileIsAnError() throws {
        #expect {
            try PrewarmFixtures.read("no-such-file.jsonl", format: .pairs)
        } throws: { error in
            "\(error)".contains("cannot open") && "\(error)".contains("no-such-file.jsonl")
        }
    }
}
