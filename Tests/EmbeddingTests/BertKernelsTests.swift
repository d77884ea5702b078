import Foundation
import Testing
@testable import Embedding

@Suite struct BertKernelsTests {
    @Test func erfApproximationMatchesLibm() {
        var largest: Float = 0
        var x: Float = -6
        while x <= 6 {
            let values = BertKernels.Vector(repeating: x)
            largest = max(largest, abs(BertKernels.erf(values)[0] - Foundation.erf(x)))
            x += 0.001
        }
        #expect(largest < 1e-6, "largest error \(largest)")
    }

    @Test func layerNormGivesZeroMeanUnitVariance() {
        var row: [Float] = (0..<20).map { Float($0 * $0) - 7 }
        let gain = [Float](repeating: 1, count: 20), bias = [Float](repeating: 0, count: 20)
        row.withUnsafeMutableBufferPointer { BertKernels.layerNorm($0.baseAddress!, count: 20, gain: gain, bias: bias, epsilon: 1e-12) }
        let mean = row.reduce(0, +) / 20
        let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20
        #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
    }
}
