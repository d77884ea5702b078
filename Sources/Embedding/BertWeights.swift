import Foundation

/// All weights of a BERT encoder in one 64-byte-aligned arena, laid out for the forward pass:
/// query, key and value projections of each layer are stored as one fused `[3·hidden, hidden]` matrix
/// so that they take a single GEMM. Read-only once loaded.
final class BertWeights {
    struct Layer {
        let qkvWeight: UnsafePointer<Float>       // [3H, H]
        let qkvBias: UnsafePointer<Float>         // [3H]
        let attentionOutWeight: UnsafePointer<Float>  // [H, H]
        let attentionOutBias: UnsafePointer<Float>
        let attentionNormGain: UnsafePointer<Float>
        let attentionNormBias: UnsafePointer<Float>
        let intermediateWeight: UnsafePointer<Float>  // [I, H]
        let intermediateBias: UnsafePointer<Float>
        let outputWeight: UnsafePointer<Float>        // [H, I]
        let outputBias: UnsafePointer<Float>
        let outputNormGain: UnsafePointer<Float>
        let outputNormBias: UnsafePointer<Float>
    }

    let config: BertConfig
    let wordEmbeddings: UnsafePointer<Float>      // [V, H]
    let positionEmbeddings: UnsafePointer<Float>  // [P, H]
    let tokenTypeEmbeddings: UnsafePointer<Float> // [T, H]
    let embeddingNormGain: UnsafePointer<Float>
    let embeddingNormBias: UnsafePointer<Float>
    let layers: [Layer]
    private let arena: UnsafeMutablePointer<Float>
    /// Bytes of weights held in memory.
    let byteCount: Int

    init(file: borrowing SafeTensorsFile, config: BertConfig) throws {
        let h = config.hiddenSize, i = config.intermediateSize
        var plan: [(name: String, shape: [Int], offset: Int)] = []
        var total = 0
        func place(_ name: String, _ shape: [Int]) -> Int {
            let offset = total
            plan.append((name, shape, offset))
            total += (shape.reduce(1, *) + 15) / 16 * 16  // keep every tensor 64-byte aligned
            return offset
        }
        let word = place("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        let position = place("embeddings.position_embeddings.weight", [config.maxPositions, h])
        let tokenType = place("embeddings.token_type_embeddings.weight", [config.tokenTypeCount, h])
        let normGain = place("embeddings.LayerNorm.weight", [h])
        let normBias = place("embeddings.LayerNorm.bias", [h])
        typealias LayerOffsets = (qkvW: Int, qkvB: Int, aoW: Int, aoB: Int, anG: Int, anB: Int,
                                  iW: Int, iB: Int, oW: Int, oB: Int, onG: Int, onB: Int)
        var layerOffsets: [LayerOffsets] = []
        for index in 0..<config.layerCount {
            let p = "encoder.layer.\(index)."
            // Fused QKV: three consecutive [H, H] blocks (query, key, value), then their three biases.
            let qkvW = place(p + "attention.self.query.weight", [h, h])
            _ = place(p + "attention.self.key.weight", [h, h])
            _ = place(p + "attention.self.value.weight", [h, h])
            let qkvB = total
            for part in ["query", "key", "value"] {
                plan.append((p + "attention.self.\(part).bias", [h], total))
                total += h
            }
            total = (total + 15) / 16 * 16
            layerOffsets.append((
                qkvW, qkvB,
                place(p + "attention.output.dense.weight", [h, h]), place(p + "attention.output.dense.bias", [h]),
                place(p + "attention.output.LayerNorm.weight", [h]), place(p + "attention.output.LayerNorm.bias", [h]),
                place(p + "intermediate.dense.weight", [i, h]), place(p + "intermediate.dense.bias", [i]),
                place(p + "output.dense.weight", [h, i]), place(p + "output.dense.bias", [h]),
                place(p + "output.LayerNorm.weight", [h]), place(p + "output.LayerNorm.bias", [h])
            ))
        }

        let raw = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Float>.size, alignment: 64)
        arena = raw.bindMemory(to: Float.self, capacity: total)
        byteCount = total * MemoryLayout<Float>.size
        do {
            for entry in plan { try file.read(entry.name, shape: entry.shape, into: arena + entry.offset) }
        } catch {
            raw.deallocate()
            throw error
        }
        for o in layerOffsets {
            Self.transpose(arena + o.qkvW, rows: 3 * h, columns: h)
            Self.transpose(arena + o.aoW, rows: h, columns: h)
            Self.transpose(arena + o.iW, rows: i, columns: h)
            Self.transpose(arena + o.oW, rows: h, columns: i)
        }

        let base = UnsafePointer(arena)
        self.config = config
        wordEmbeddings = base + word
        positionEmbeddings = base + position
        tokenTypeEmbeddings = base + tokenType
        embeddingNormGain = base + normGain
        embeddingNormBias = base + normBias
        layers = layerOffsets.map { o in
            Layer(qkvWeight: base + o.qkvW, qkvBias: base + o.qkvB,
                  attentionOutWeight: base + o.aoW, attentionOutBias: base + o.aoB,
                  attentionNormGain: base + o.anG, attentionNormBias: base + o.anB,
                  intermediateWeight: base + o.iW, intermediateBias: base + o.iB,
                  outputWeight: base + o.oW, outputBias: base + o.oB,
                  outputNormGain: base + o.onG, outputNormBias: base + o.onB)
        }
    }

    deinit { arena.deallocate() }

    /// Transposes a row-major `[rows, columns]` matrix in place (through a copy).
    private static func transpose(_ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        let copy = [Float](UnsafeBufferPointer(start: matrix, count: rows * columns))
        for r in 0..<rows {
            for c in 0..<columns { matrix[c * rows + r] = copy[r * columns + c] }
        }
    }
}
