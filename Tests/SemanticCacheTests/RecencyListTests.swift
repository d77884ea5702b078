import Testing
@testable import SemanticCache

@Suite struct RecencyListTests {
    @Test func usingAKeyMakesItTheMostRecent() {
        var list = RecencyList<String, Int>()
        for (value, key) in ["a", "b", "c"].enumerated() { list.set(key, value) }
        #expect(list.use("a") == 0)
        #expect(list.keysByRecency == ["b", "c", "a"])
        #expect(list.peek("b") == 1)
        #expect(list.keysByRecency == ["b", "c", "a"], "peek leaves the order alone")
        #expect(list.removeOldest()?.key == "b")
        #expect(list.removeOldest()?.key == "c")
        #expect(list.removeOldest()?.key == "a")
        #expect(list.removeOldest() == nil)
        #expect(list.count == 0)
    }

    @Test func settingAKeyAgainReplacesItsValueAndMovesIt() {
        var list = RecencyList<String, Int>()
        list.set("a", 1)
        list.set("b", 2)
        #expect(list.set("a", 3) == 1)
        #expect(list.keysByRecency == ["b", "a"])
        #expect(list.peek("a") == 3)
        #expect(list.count == 2)
    }

    /// Random operations against a plain array kept in order of use.
    @Test(arguments: [1, 2, 3])
    func matchesAnOrderedArrayUnderRandomOperations(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var list = RecencyList<Int, Int>()
        var model: [(key: Int, value: Int)] = []
        for step in 0..<5_000 {
            let key = Int.random(in: 0..<40, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                let replaced = model.firstIndex { $0.key == key }.map { model.remove(at: $0).value }
                model.append((key, step))
                #expect(list.set(key, step) == replaced)
            case 1:
                let found = model.firstIndex { $0.key == key }.map { model.remove(at: $0) }
                if let found { model.append(found) }
                #expect(list.use(key) == found?.value)
            case 2:
                let removed = model.firstIndex { $0.key == key }.map { model.remove(at: $0).value }
                #expect(list.remove(key) == removed)
            default:
                let oldest = model.isEmpty ? nil : model.removeFirst()
                #expect(list.removeOldest()?.key == oldest?.key)
            }
            #expect(list.count == model.count)
        }
        #expect(list.keysByRecency == model.map(\.key))
    }
}
