import CBLAS

/// Validation and L2 normalisation of vectors before they are stored or searched with.
enum VectorNormalization {
    /// Scales `vector` to unit length in place.
    ///
    /// Returns `false`, leaving the contents unspecified, when the vector cannot be normalised: it is
    /// empty, all zeros, holds a NaN or an infinity, or its squared length overflows `Float`.
    static func normalizeInPlace(_ vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        guard let base = vector.baseAddress, !vector.isEmpty, let count = Int32(exactly: vector.count) else {
            return false
        }
        let squaredLength = cblas_sdot(count, base, 1, base, 1)
        guard squaredLength.isFinite, squaredLength > 0 else { return false }
        if abs(squaredLength - 1) > 1e-6 {
            cblas_sscal(count, 1 / squaredLength.squareRoot(), base, 1)
        }
        return true
    }

    /// A unit-length copy of `vector`, or `nil` when it has the wrong dimension or cannot be normalised.
    static func normalized(_ vector: [Float], dimension: Int) -> [Float]? {
        guard vector.count == dimension else { return nil }
        var copy = vector
        return copy.withUnsafeMutableBufferPointer { normalizeInPlace($0) } ? copy : nil
    }
}
