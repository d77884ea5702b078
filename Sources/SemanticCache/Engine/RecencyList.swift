/// A map that keeps its keys in order of use, least recent first out: lookup (which makes the key
/// the most recent), insertion, removal and taking the least recent key are all O(1). The nodes
/// live in one array linked by index, freed slots are reused, so nothing is sorted or scanned.
///
/// A value type without a lock: the caches that use it (``HotEntries``, ``ParaphraseAliases``)
/// hold it under their own.
struct RecencyList<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        var value: Value
        var older: Int
        var newer: Int
    }

    private static var none: Int { -1 }

    private var nodes: [Node?] = []
    private var positions: [Key: Int] = [:]
    private var freed: [Int] = []
    private var newest = none
    private var oldest = none

    var count: Int { positions.count }

    /// The value of `key`, which becomes the most recently used.
    mutating func use(_ key: Key) -> Value? {
        guard let position = positions[key] else { return nil }
        moveToNewest(position)
        return nodes[position]?.value
    }

    /// The value of `key`, without changing the order.
    func peek(_ key: Key) -> Value? {
        positions[key].flatMap { nodes[$0]?.value }
    }

    /// Sets `key` to `value` as the most recently used; returns the value it replaced.
    @discardableResult
    mutating func set(_ key: Key, _ value: Value) -> Value? {
        if let position = positions[key] {
            let old = nodes[position]?.value
            nodes[position]?.value = value
            moveToNewest(position)
            return old
        }
        let node = Node(key: key, value: value, older: newest, newer: Self.none)
        let position: Int
        if let reused = freed.popLast() {
            position = reused
            nodes[position] = node
        } else {
            position = nodes.count
            nodes.append(node)
        }
        link(asNewest: position)
        positions[key] = position
        return nil
    }

    /// Removes `key`; returns its value.
    @discardableResult
    mutating func remove(_ key: Key) -> Value? {
        guard let position = positions.removeValue(forKey: key) else { return nil }
        return release(position)
    }

    /// Removes and returns the least recently used key and its value.
    mutating func removeOldest() -> (key: Key, value: Value)? {
        guard oldest != Self.none, let node = nodes[oldest] else { return nil }
        positions[node.key] = nil
        _ = release(oldest)
        return (node.key, node.value)
    }

    /// Keys from the least to the most recently used (for tests and diagnostics; O(count)).
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var position = oldest
        while position != Self.none, let node = nodes[position] {
            keys.append(node.key)
            position = node.newer
        }
        return keys
    }

    private mutating func release(_ position: Int) -> Value? {
        unlink(position)
        let value = nodes[position]?.value
        nodes[position] = nil
        freed.append(position)
        return value
    }

    private mutating func moveToNewest(_ position: Int) {
        guard position != newest else { return }
        unlink(position)
        link(asNewest: position)
    }

    private mutating func link(asNewest position: Int) {
        nodes[position]?.older = newest
        nodes[position]?.newer = Self.none
        if newest != Self.none { nodes[newest]?.newer = position }
        newest = position
        if oldest == Self.none { oldest = position }
    }

    private mutating func unlink(_ position: Int) {
        guard let older = nodes[position]?.older, let newer = nodes[position]?.newer else { return }
        if older != Self.none { nodes[older]?.newer = newer } else { oldest = newer }
        if newer != Self.none { nodes[newer]?.older = older } else { newest = older }
    }
}

/// A value type: sendable when what it holds is.
extension RecencyList: Sendable where Key: Sendable, Value: Sendable {}
extension RecencyList.Node: Sendable where Key: Sendable, Value: Sendable {}
