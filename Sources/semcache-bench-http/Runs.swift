import Foundation

struct LatencyResult {
    let target: String
    var total: [Double] = []
    var firstByte: [Double] = []
    /// Responses by their `x-semcache` header ("none" when absent).
    var cacheOutcomes: [String: Int] = [:]

    var json: String {
        func ms(_ samples: [Double], _ q: Double) -> String { String(format: "%.4f", percentile(samples, q) * 1000) }
        let outcomes = cacheOutcomes.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return "{\"target\":\"\(target)\",\"requests\":\(total.count),"
            + "\"p50_ms\":\(ms(total, 0.5)),\"p90_ms\":\(ms(total, 0.9)),\"p99_ms\":\(ms(total, 0.99)),"
            + "\"ttfb_p50_ms\":\(ms(firstByte, 0.5)),\"ttfb_p99_ms\":\(ms(firstByte, 0.99)),\"x_semcache\":{\(outcomes)}}"
    }
}

/// The `q`-quantile with linear interpolation (numpy's default).
func percentile(_ samples: [Double], _ q: Double) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .nan }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}

/// `templates[i]` is the body of `targets[i]`.
func runLatency(targets: [Target], templates: [BodyTemplate], headers: [(String, String)], requests: Int, warmup: Int) throws -> [LatencyResult] {
    let connections = try targets.map { try HTTPConnection(host: $0.host, port: $0.port) }
    var results = targets.map { LatencyResult(target: $0.name) }
    var sequence = 0
    for round in 0..<(warmup + requests) {
        for (index, target) in targets.enumerated() {
            sequence += 1
            let response = try connections[index].post(path: target.path, headers: headers, body: templates[index].body(sequence))
            guard response.status == 200 else {
                throw HTTPConnection.Failure(description: "\(target.name) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
            guard round >= warmup else { continue }
            results[index].total.append(response.total)
            results[index].firstByte.append(response.firstByte)
            results[index].cacheOutcomes[response.headers["x-semcache"] ?? "none", default: 0] += 1
        }
    }
    return results
}

/// Posts `requests` distinct bodies over `connections` parallel connections; returns a JSON line.
func runFill(target: Target, template: BodyTemplate, headers: [(String, String)], requests: Int, connections: Int) throws -> String {
    let next = Counter()
    let failures = Counter()
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: connections) { _ in
        guard let connection = try? HTTPConnection(host: target.host, port: target.port) else {
            failures.add()
            return
        }
        while case let sequence = next.add(), sequence <= requests {
            let status = (try? connection.post(path: target.path, headers: headers, body: template.body(sequence)))?.status
            if status != 200 { failures.add() }
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return "{\"requests\":\(requests),\"failures\":\(failures.value),\"seconds\":\(String(format: "%.2f", seconds)),"
        + "\"per_second\":\(String(format: "%.1f", Double(requests) / seconds))}"
}

/// A thread-safe counter for the fill workers.
final class Counter: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var count = 0

    @discardableResult
    func add() -> Int { lock.withLock { count += 1; return count } }

    var value: Int { lock.withLock { count } }
}
