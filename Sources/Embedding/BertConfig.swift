import Foundation

/// The fields of a BERT `config.json` the encoder needs; anything else in the file is ignored.
struct BertConfig: Decodable, Sendable {
    let hiddenSize: Int
    let layerCount: Int
    let headCount: Int
    let intermediateSize: Int
    let layerNormEpsilon: Float
    let maxPositions: Int
    let vocabularySize: Int
    let tokenTypeCount: Int
    let activation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case layerNormEpsilon = "layer_norm_eps"
        case maxPositions = "max_position_embeddings"
        case vocabularySize = "vocab_size"
        case tokenTypeCount = "type_vocab_size"
        case activation = "hidden_act"
    }

    var headSize: Int { hiddenSize / headCount }

    static func load(_ url: URL) throws -> BertConfig {
        guard let data = try? Data(contentsOf: url) else { throw EmbeddingError.modelMissing(path: url.path) }
        let config: BertConfig
        do {
            config = try JSONDecoder().decode(BertConfig.self, from: data)
        } catch {
            throw EmbeddingError.modelDamaged(path: url.path, "not a BERT config: \(error)")
        }
        guard config.activation == "gelu", config.hiddenSize > 0, config.headCount > 0,
              config.hiddenSize % config.headCount == 0, config.layerCount > 0, config.intermediateSize > 0,
              config.maxPositions > 0, config.vocabularySize > 0, config.tokenTypeCount > 0
        else {
            throw EmbeddingError.modelDamaged(path: url.path, "unsupported BERT config (needs gelu, hidden_size divisible by num_attention_heads)")
        }
        return config
    }
}
