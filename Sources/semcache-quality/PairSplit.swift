/// Which half of the eval pairs a pair belongs to: the hit rule was fitted on `fit` and
/// `held` was kept out of the fit. Must match `split_of` in `bench/quality/analyze.py`.
enum PairSplit: String, CaseIterable, Sendable {
    case all, fit, held

    func contains(_ pair: LabelledPair) -> Bool {
        switch self {
        case .all: true
        case .fit: Self.fnv1a(pair) % 2 == 0
        case .held: Self.fnv1a(pair) % 2 == 1
        }
    }

    /// FNV-1a (64 bit) over the UTF-8 of `stored`, a zero byte, and `query`.
    private static func fnv1a(_ pair: LabelledPair) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(pair.stored.utf8) + [0] + Array(pair.query.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
