/// Keeps the `k` best-scoring rows seen so far in a min-heap of size `k`: O(n log k) worst case, and
/// for most rows a single comparison against the current k-th best score.
struct TopKSelector {
    private struct Candidate {
        var similarity: Float
        var id: Int64
    }

    private let k: Int
    private var heap: [Candidate] = []
    /// Scores at or below this cannot enter the heap.
    private var threshold = -Float.infinity

    /// `k` must be positive; `expectedRows` only limits the reservation.
    init(k: Int, expectedRows: Int) {
        self.k = k
        heap.reserveCapacity(min(k, expectedRows))
    }

    /// Offers each `scores[i]` for `ids[i]`.
    mutating func consider(scores: UnsafeBufferPointer<Float>, ids: UnsafeBufferPointer<Int64>) {
        for index in scores.indices where scores[index] > threshold {
            consider(Candidate(similarity: scores[index], id: ids[index]))
        }
    }

    private mutating func consider(_ candidate: Candidate) {
        if heap.count < k {
            heap.append(candidate)
            siftUp(from: heap.count - 1)
            if heap.count == k { threshold = heap[0].similarity }
            return
        }
        heap[0] = candidate
        siftDown(from: 0)
        threshold = heap[0].similarity
    }

    /// The kept rows, best first (equal similarities: smaller id first).
    func matches() -> [VectorMatch] {
        heap.sorted { ($0.similarity, $1.id) > ($1.similarity, $0.id) }
            .map { VectorMatch(id: $0.id, similarity: $0.similarity) }
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].similarity < heap[parent].similarity else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let smaller = right < heap.count && heap[right].similarity < heap[left].similarity ? right : left
            guard heap[smaller].similarity < heap[parent].similarity else { return }
            heap.swapAt(smaller, parent)
            parent = smaller
        }
    }
}
