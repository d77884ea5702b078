import CKernels
import Testing

/// The packed-weight GEMM of the forward pass against a plain triple loop in double precision.
@Suite struct PanelGEMMTests {
    typealias Kernel = (UnsafePointer<Float>?, Int, Int, UnsafePointer<Float>?, Int, UnsafeMutablePointer<Float>?) -> Void
    static var kernels: [(name: String, run: Kernel)] { [("dispatched", semcache_panel_gemm), ("portable", semcache_panel_gemm_portable)] }

    /// Row counts around the 6-row block, output counts with and without a partial last panel,
    /// input counts around the 128-input slice.
    @Test(arguments: [(1, 16, 1), (5, 16, 7), (6, 32, 128), (7, 48, 129), (13, 40, 300), (22, 24, 384)])
    func matchesTheDefinition(rows: Int, outputs: Int, inputs: Int) {
        var generator = SplitMix(seed: UInt64(rows * 1_000_003 + outputs * 1009 + inputs))
        let x = (0..<rows * inputs).map { _ in generator.nextFloat() }
        let weight = (0..<outputs * inputs).map { _ in generator.nextFloat() }
        let bias = (0..<rows * outputs).map { _ in generator.nextFloat() }
        var panels = [Float](repeating: .nan, count: semcache_packed_count(outputs, inputs))
        semcache_pack_panels(weight, outputs, inputs, &panels)

        var expected = [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows {
            for o in 0..<outputs {
                var sum = Double(bias[r * outputs + o])
                for k in 0..<inputs { sum += Double(x[r * inputs + k]) * Double(weight[o * inputs + k]) }
                expected[r * outputs + o] = sum
            }
        }
        for kernel in Self.kernels {
            var y = bias
            kernel.run(x, rows, inputs, panels, outputs, &y)
            let worst = zip(y, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst < 1e-4 * Double(inputs), "\(kernel.name): largest error \(worst)")
        }
    }

    @Test func packingPadsThePartialPanelWithZeros() {
        let weight = (0..<3 * 2).map(Float.init)  // [3 outputs, 2 inputs]
        var panels = [Float](repeating: .nan, count: semcache_packed_count(3, 2))
        semcache_pack_panels(weight, 3, 2, &panels)
        #expect(panels.count == 16 * 2)
        #expect(Array(panels[0..<3]) == [0, 2, 4])  // input 0 of outputs 0, 1, 2
        #expect(Array(panels[16..<19]) == [1, 3, 5])  // input 1
        #expect(panels[3..<16].allSatisfy { $0 == 0 } && panels[19...].allSatisfy { $0 == 0 })
    }
}

/// A small deterministic generator of floats in [-1, 1).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func nextFloat() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24) * 2 - 1
    }
}
