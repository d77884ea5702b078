import CKernels
import Foundation

/// All weights of a BERT encoder in one 64-byte-aligned arena, laid out for the forward pass:
/// query, key and value projections of each layer are stored as one fused `[3·hidden, hidden]` matrix
/// so that they take a single GEMM. Read-only once loaded.
final class BertWeights {
    struct Layer {
        // Linear-layer weights `[outputs, inputs]` are stored packed for `semcache_panel_gemm`.
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
        var linear: [(offset: Int, outputs: Int, inputs: Int)] = []
        func place(_ name: String, _ shape: [Int]) -> Int {
            let offset = total
            plan.append((name, shape, offset))
            total += (shape.reduce(1, *) + 15) / 16 * 16  // keep every tensor 64-byte aligned
            return offset
        }
        // A linear-layer weight `[outputs, inputs]` (stacked from `names`, equal parts), with room for its packed form.
        func placeLinear(_ names: [String], outputs: Int, inputs: Int) -> Int {
            let offset = total
            let part = outputs / names.count
            for (index, name) in names.enumerated() { plan.append((name, [part, inputs], offset + index * part * inputs)) }
            total += (semcache_packed_count(outputs, inputs) + 15) / 16 * 16
            linear.append((offset, outputs, inputs))
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
            let qkvW = placeLinear(["query", "key", "value"].map { p + "attention.self.\($0).weight" }, outputs: 3 * h, inputs: h)
            let qkvB = total
            for part in ["query", "key", "value"] {
                plan.append((p + "attention.self.\(part).bias", [h], total))
                total += h
            }
            total = (total + 15) / 16 * 16
            layerOffsets.append((
                qkvW, qkvB,
                placeLinear([p + "attention.output.dense.weight"], outputs: h, inputs: h), place(p + "attention.output.dense.bias", [h]),
                place(p + "attention.output.LayerNorm.weight", [h]), place(p + "attention.output.LayerNorm.bias", [h]),
                placeLinear([p + "intermediate.dense.weight"], outputs: i, inputs: h), place(p + "intermediate.dense.bias", [i]),
                placeLinear([p + "output.dense.weight"], outputs: h, inputs: i), place(p + "output.dense.bias", [h]),
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
        for matrix in linear { Self.pack(arena + matrix.offset, outputs: matrix.outputs, inputs: matrix.inputs) }

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

    /// Packs a row-major `[outputs, inputs]` weight in place (through a copy) into the panels of
    /// `semcache_panel_gemm`, which the forward pass then reads as they lie.
    private static func pack(_ matrix: UnsafeMutablePointer<Float>, outputs: Int, inputs: Int) {
        let copy = [Float](UnsafeBufferPointer(start: matrix, count: outputs * inputs))
        copy.withUnsafeBufferPointer { semcache_pack_panels($0.baseAddress, outputs, inputs, matrix) }
    }
}
