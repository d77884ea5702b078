import Foundation

/// Element-wise pieces of the BERT forward pass, written over raw rows with SIMD so that the
/// optimiser can vectorise them; the matrix products go through `CKernels` (dense layers) and CBLAS (attention).
enum BertKernels {
    typealias Vector = SIMD8<Float>
    private static let width = Vector.scalarCount

    /// `row = (row - mean) / sqrt(variance + epsilon) * gain + bias`, over `count` floats.
    static func layerNorm(_ row: UnsafeMutablePointer<Float>, count: Int,
                          gain: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float) {
        let blocks = count / width * width
        var sum = Vector.zero
        var index = 0
        while index < blocks { sum += load(row + index); index += width }
        var total = sum.sum()
        while index < count { total += row[index]; index += 1 }
        let mean = total / Float(count)

        var squares = Vector.zero
        index = 0
        while index < blocks { let d = load(row + index) - mean; squares += d * d; index += width }
        var squareTotal = squares.sum()
        while index < count { let d = row[index] - mean; squareTotal += d * d; index += 1 }
        let inverse = 1 / (squareTotal / Float(count) + epsilon).squareRoot()

        index = 0
        while index < blocks {
            let value = (load(row + index) - mean) * inverse * load(gain + index) + load(bias + index)
            store(value, row + index)
            index += width
        }
        while index < count { row[index] = (row[index] - mean) * inverse * gain[index] + bias[index]; index += 1 }
    }

    /// GELU in its exact form, `x · ½ · (1 + erf(x / √2))`, in place over `count` floats.
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let blocks = count / width * width
        var index = 0
        while index < blocks {
            let x = load(values + index)
            store(x * 0.5 * (1 + erf(x * 0.70710678118654752)), values + index)
            index += width
        }
        while index < count {
            let x = Vector(repeating: values[index])
            values[index] = (x * 0.5 * (1 + erf(x * 0.70710678118654752)))[0]
            index += 1
        }
    }

    /// erf for single precision: the rational approximation Eigen uses (`generic_fast_erf_float`),
    /// accurate to a few ulp on [-4, 4] and ±1 outside; no exp, so it vectorises.
    static func erf(_ input: Vector) -> Vector {
        var x = input
        x.replace(with: 4, where: x .> 4)
        x.replace(with: -4, where: x .< -4)
        let x2 = x * x
        var p = x2 * -2.72614225801306e-10 + 2.77068142495902e-08
        p = x2 * p - 2.10102402082508e-06
        p = x2 * p - 5.69250639462346e-05
        p = x2 * p - 7.34990630326855e-04
        p = x2 * p - 2.95459980854025e-03
        p = x2 * p - 1.60960333262415e-02
        p = x * p
        var q = x2 * -1.45660718464996e-05 - 2.13374055278905e-04
        q = x2 * q - 1.68282697438203e-03
        q = x2 * q - 7.37332916720468e-03
        q = x2 * q - 1.42647390514189e-02
        return p / q
    }

    /// Softmax in place over `count` floats.
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        var largest = -Float.infinity
        for index in 0..<count { largest = max(largest, row[index]) }
        var total: Float = 0
        for index in 0..<count {
            let value = expf(row[index] - largest)
            row[index] = value
            total += value
        }
        let inverse = 1 / total
        for index in 0..<count { row[index] *= inverse }
    }

    /// `destination[i] = a[i] + b[i]` over `count` floats.
    static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { destination[index] = a[index] + b[index] }
    }

    /// Scales `values` to unit L2 norm in place (a zero vector stays zero).
    static func normalize(_ values: inout [Float]) {
        let norm = values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return }
        let inverse = 1 / norm
        for index in values.indices { values[index] *= inverse }
    }

    @inline(__always) private static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always) private static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always) private static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }
}
