import Foundation
import VectorIndex

/// The vectors generate.py wrote: row-major little-endian Float32.
struct VectorFile {
    let values: [Float]
    let dimension: Int
    var rowCount: Int { values.count / dimension }

    init(path: String, dimension: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        self.dimension = dimension
    }

    func row(_ index: Int) -> [Float] {
        Array(values[index * dimension ..< (index + 1) * dimension])
    }

    /// An index holding rows `0..<count` under ids `1...count` in one context, loaded in bulk.
    func index(rows count: Int, context: ContextKey, space: VectorSpace) -> VectorIndex {
        var batch = VectorBatch()
        batch.reserveCapacity(count, context: context, space: space)
        values.withUnsafeBytes { bytes in
            let rowBytes = dimension * MemoryLayout<Float>.size
            for row in 0..<count {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[row * rowBytes ..< (row + 1) * rowBytes])
                batch.append(id: Int64(row + 1), float32Bytes: slice, context: context, space: space)
            }
        }
        let index = VectorIndex()
        index.bulkLoad(consume batch)
        return index
    }
}

let benchContext = ContextKey(Array(repeating: 0x5C, count: 32))

/// Nanoseconds taken by `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
}

/// The `q`-quantile of `samples` with linear interpolation (numpy's default), so both sides of the
/// benchmark summarise the same way.
func percentile(_ samples: [Double], _ q: Double) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .nan }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}

/// One JSON object per line, the format report.py reads.
func emit(_ fields: KeyValuePairs<String, Any>) {
    let body = fields.map { key, value in
        let rendered = value is String ? "\"\(value)\"" : "\(value)"
        return "\"\(key)\": \(rendered)"
    }
    FileHandle.standardOutput.write(Data(("{" + body.joined(separator: ", ") + "}\n").utf8))
}

/// `--name value` from the command line, or `fallback`.
func option(_ name: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let position = arguments.firstIndex(of: "--\(name)"), position + 1 < arguments.count else { return fallback }
    return arguments[position + 1]
}

func integers(_ list: String) -> [Int] {
    list.split(separator: ",").compactMap { Int($0) }
}
