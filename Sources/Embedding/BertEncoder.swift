import CBLAS
import CKernels

/// The BERT forward pass with mean pooling, for one thread at a time (it owns its scratch memory).
///
/// Sequences of a batch are concatenated without padding: every dense layer is one `semcache_panel_gemm`
/// over all tokens of the batch (query/key/value fused into one), and only attention is computed per
/// sequence and head. Batches are cut into passes of at most `maxTokensPerPass` tokens to bound memory.
final class BertEncoder {
    let weights: BertWeights
    private let maxTokensPerPass: Int
    private var scratch: UnsafeMutablePointer<Float>
    private var scratchCapacity = 0

    init(weights: BertWeights, maxTokensPerPass: Int = 1024) {
        self.weights = weights
        self.maxTokensPerPass = max(maxTokensPerPass, weights.config.maxPositions)
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    }

    deinit { scratch.deallocate() }

    /// Mean-pooled, L2-normalised embeddings of `sequences` (token ids with `[CLS]`/`[SEP]`, each
    /// non-empty, at most `max_position_embeddings` long, ids below the vocabulary size).
    func embed(_ sequences: [[Int32]]) -> [[Float]] {
        var results: [[Float]] = []
        results.reserveCapacity(sequences.count)
        var start = 0
        while start < sequences.count {
            var end = start
            var tokens = 0
            while end < sequences.count, end == start || tokens + sequences[end].count <= maxTokensPerPass {
                tokens += sequences[end].count
                end += 1
            }
            forward(sequences[start..<end], tokenCount: tokens, into: &results)
            start = end
        }
        return results
    }

    private func forward(_ sequences: ArraySlice<[Int32]>, tokenCount rows: Int, into results: inout [[Float]]) {
        let config = weights.config
        let h = config.hiddenSize, i = config.intermediateSize
        let longest = sequences.map(\.count).max() ?? 0
        // Scratch layout: hidden [rows,H] | other [rows,H] | qkv [rows,3H] | context [rows,H] | intermediate [rows,I] | scores [L,L]
        ensureScratch(rows * (6 * h + i) + longest * longest)
        var hidden = scratch
        var other = hidden + rows * h
        let qkv = other + rows * h
        let context = qkv + rows * 3 * h
        let intermediate = context + rows * h
        let scores = intermediate + rows * i

        var row = 0
        for sequence in sequences {
            for (position, token) in sequence.enumerated() {
                let target = hidden + (row + position) * h
                BertKernels.add(weights.wordEmbeddings + Int(token) * h, weights.positionEmbeddings + position * h, into: target, count: h)
                BertKernels.add(target, weights.tokenTypeEmbeddings, into: target, count: h)
                BertKernels.layerNorm(target, count: h, gain: weights.embeddingNormGain, bias: weights.embeddingNormBias, epsilon: config.layerNormEpsilon)
            }
            row += sequence.count
        }

        for layer in weights.layers {
            fillRows(qkv, rows: rows, with: layer.qkvBias, count: 3 * h)
            gemm(hidden, rows: rows, inputs: h, weight: layer.qkvWeight, outputs: 3 * h, into: qkv)
            attention(sequences, qkv: qkv, scores: scores, into: context)

            for r in 0..<rows { BertKernels.add(hidden + r * h, layer.attentionOutBias, into: other + r * h, count: h) }
            gemm(context, rows: rows, inputs: h, weight: layer.attentionOutWeight, outputs: h, into: other)
            for r in 0..<rows {
                BertKernels.layerNorm(other + r * h, count: h, gain: layer.attentionNormGain, bias: layer.attentionNormBias, epsilon: config.layerNormEpsilon)
            }
            swap(&hidden, &other)

            fillRows(intermediate, rows: rows, with: layer.intermediateBias, count: i)
            gemm(hidden, rows: rows, inputs: h, weight: layer.intermediateWeight, outputs: i, into: intermediate)
            BertKernels.gelu(intermediate, count: rows * i)

            for r in 0..<rows { BertKernels.add(hidden + r * h, layer.outputBias, into: other + r * h, count: h) }
            gemm(intermediate, rows: rows, inputs: i, weight: layer.outputWeight, outputs: h, into: other)
            for r in 0..<rows {
                BertKernels.layerNorm(other + r * h, count: h, gain: layer.outputNormGain, bias: layer.outputNormBias, epsilon: config.layerNormEpsilon)
            }
            swap(&hidden, &other)
        }

        row = 0
        for sequence in sequences {
            var pooled = [Float](repeating: 0, count: h)
            for r in row..<(row + sequence.count) {
                for k in 0..<h { pooled[k] += hidden[r * h + k] }
            }
            BertKernels.normalize(&pooled)  // dividing by the length first would not change the direction
            results.append(pooled)
            row += sequence.count
        }
    }

    /// Self-attention of every sequence and head: `softmax(Q·Kᵀ/√d)·V` into `context` (`[rows, H]`).
    private func attention(_ sequences: ArraySlice<[Int32]>, qkv: UnsafeMutablePointer<Float>,
                           scores: UnsafeMutablePointer<Float>, into context: UnsafeMutablePointer<Float>) {
        let h = weights.config.hiddenSize, d = weights.config.headSize
        let stride = Int32(3 * h)
        let scale = 1 / Float(d).squareRoot()
        var row = 0
        for sequence in sequences {
            let length = sequence.count, n = Int32(length)
            let block = qkv + row * 3 * h
            for head in 0..<weights.config.headCount {
                let query = block + head * d, key = block + h + head * d, value = block + 2 * h + head * d
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(d),
                            scale, query, stride, key, stride, 0, scores, n)
                for r in 0..<length { BertKernels.softmax(scores + r * length, count: length) }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(d), n,
                            1, scores, n, value, stride, 0, context + row * h + head * d, Int32(h))
            }
            row += length
        }
    }

    /// `output += input · weightᵀ` for a PyTorch `Linear` weight `[outputs, inputs]`, packed by ``BertWeights``.
    private func gemm(_ input: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>,
                      outputs: Int, into output: UnsafeMutablePointer<Float>) {
        semcache_panel_gemm(input, rows, inputs, weight, outputs, output)
    }

    private func fillRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, with row: UnsafePointer<Float>, count: Int) {
        for r in 0..<rows { (matrix + r * count).update(from: row, count: count) }
    }

    private func ensureScratch(_ count: Int) {
        guard count > scratchCapacity else { return }
        scratch.deallocate()
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: count)
        scratchCapacity = count
    }
}
