import Foundation
@testable import Embedding

/// A tiny BERT (hidden 8, 2 heads, 1 layer) written as config.json, vocab.txt and model.safetensors,
/// to test the loader and the forward pass without the real model.
enum SyntheticModel {
    static let hidden = 8, intermediate = 16, positions = 256
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "cache", "##s", "fast", "slow", "is", "."]

    static func tensors() -> [(name: String, shape: [Int])] {
        let h = hidden, i = intermediate
        var list: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [vocabulary.count, h]),
            ("embeddings.position_embeddings.weight", [positions, h]),
            ("embeddings.token_type_embeddings.weight", [2, h]),
            ("embeddings.LayerNorm.weight", [h]), ("embeddings.LayerNorm.bias", [h]),
        ]
        let p = "encoder.layer.0."
        for part in ["query", "key", "value"] {
            list += [(p + "attention.self.\(part).weight", [h, h]), (p + "attention.self.\(part).bias", [h])]
        }
        list += [
            (p + "attention.output.dense.weight", [h, h]), (p + "attention.output.dense.bias", [h]),
            (p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
            (p + "intermediate.dense.weight", [i, h]), (p + "intermediate.dense.bias", [i]),
            (p + "output.dense.weight", [h, i]), (p + "output.dense.bias", [h]),
            (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h]),
        ]
        return list
    }

    /// Writes the model into `directory`; `header` replaces the safetensors JSON header when given.
    static func write(to directory: URL, header overriddenHeader: String? = nil, dropLastBytes: Int = 0) throws {
        let config = """
            {"hidden_size": \(hidden), "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": \(intermediate),
             "layer_norm_eps": 1e-12, "max_position_embeddings": \(positions), "vocab_size": \(vocabulary.count),
             "type_vocab_size": 2, "hidden_act": "gelu"}
            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("vocab.txt"))

        var entries: [String] = []
        var data: [UInt8] = []
        var seed: UInt32 = 12345
        for (name, shape) in tensors() {
            let count = shape.reduce(1, *)
            let begin = data.count
            for _ in 0..<count {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let value = name.hasSuffix("LayerNorm.weight") ? 1 : Float(Int(seed >> 16) % 2001 - 1000) / 5000
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            entries.append("\"\(name)\": {\"dtype\": \"F32\", \"shape\": \(shape), \"data_offsets\": [\(begin), \(data.count)]}")
        }
        let header = Array((overriddenHeader ?? "{" + entries.joined(separator: ", ") + "}").utf8)
        var file: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file += header + data
        try Data(file.dropLast(dropLastBytes)).write(to: directory.appendingPathComponent("model.safetensors"))
    }
}
