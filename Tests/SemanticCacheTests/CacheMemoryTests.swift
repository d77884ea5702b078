import Embedding
import Store
import Testing
@testable import SemanticCache

/// The state owner's compound changes, without a store or sockets.
@Suite struct CacheMemoryTests {
    static let context = key(200)

    static func key(_ byte: UInt8) -> CacheKey {
        CacheKey(bytes: [UInt8](repeating: byte, count: 32))!
    }

    static func memory(hotEntryBytes: Int = 1 << 20, aliasCapacity: Int = 16) -> CacheMemory {
        CacheMemory(semantic: SemanticIndex(embedder: HashEmbedder(dimension: 8)), hotEntryBytes: hotEntryBytes, aliasCapacity: aliasCapacity)
    }

    /// An alias saying entry `id` (stored under `entryKey` by ``entry(_:answer:createdAt:vector:)``) answered a paraphrase.
    static func alias(to entryKey: CacheKey, id: Int64, createdAt: Double = 1_000, threshold: Double = 0.83) -> ParaphraseAlias {
        ParaphraseAlias(
            entryKey: entryKey, entry: IndexedEntry(id: id, createdAt: createdAt, expiresAt: createdAt + 3600),
            similarity: 0.95, score: 0.95, rule: HitRule(threshold: threshold))
    }

    static func entry(_ key: CacheKey, answer: String = "answer", createdAt: Double = 1_000, vector: [Float]? = [1, 0, 0, 0, 0, 0, 0, 0]) -> NewEntry {
        NewEntry(
            key: key.bytes, contextKey: context.bytes, endpoint: "/v1/chat/completions", model: "m", namespace: "",
            prompt: "question", embedding: vector, embedderID: vector == nil ? nil : "hash-ngram-v1",
            response: Array(answer.utf8), responseKind: .json, status: 200, contentType: "application/json",
            promptTokens: nil, completionTokens: nil, upstreamMilliseconds: 1, createdAt: createdAt, expiresAt: createdAt + 3600)
    }

    @Test func removingIdsRemovesTheKeyTheHotSlotTheVectorAndTheLedgerItem() throws {
        let memory = Self.memory()
        let (a, b) = (Self.key(1), Self.key(2))
        memory.stored(a, id: 1, entry: Self.entry(a), context: Self.context)
        memory.stored(b, id: 2, entry: Self.entry(b), context: Self.context)
        #expect(memory.answerInMemory(for: a)?.id == 1)
        #expect(memory.semantic?.count == 2)
        #expect(memory.usage.entries == 2)

        memory.forget(ids: [1])
        #expect(memory.indexedEntry(for: a) == nil)
        #expect(memory.answerInMemory(for: a) == nil)
        #expect(memory.semantic?.vectors.contains(id: 1) == false)
        #expect(memory.usage.entries == 1)
        #expect(memory.ids == [2])
        #expect(memory.indexedEntry(for: b)?.id == 2, "other entries stay")
        #expect(memory.answerInMemory(for: b)?.id == 2)
    }

    @Test func aReplacedKeyKeepsTheNewestId() {
        let memory = Self.memory()
        let a = Self.key(1)
        memory.stored(a, id: 1, entry: Self.entry(a, answer: "old"), context: Self.context)
        memory.stored(a, id: 7, entry: Self.entry(a, answer: "new", createdAt: 2_000), context: Self.context)
        #expect(memory.indexedEntry(for: a)?.id == 7)

        memory.forget(ids: [1])
        #expect(memory.indexedEntry(for: a)?.id == 7, "removing the old id leaves the new entry")
        #expect(memory.answerInMemory(for: a).map { String(decoding: $0.entry.response, as: UTF8.self) } == "new")
        #expect(memory.semantic?.vectors.contains(id: 7) == true)
    }

    @Test func anAnswerReplacedUnderItsIdIsNotServedFromTheHotEntries() {
        let memory = Self.memory()
        let a = Self.key(1)
        memory.stored(a, id: 1, entry: Self.entry(a, answer: "old"), context: Self.context)
        let row = IndexRow(
            id: 1, key: a.bytes, contextKey: Self.context.bytes, embedderID: nil, embedding: nil,
            createdAt: 2_000, expiresAt: 5_600, lastHitAt: nil, sizeBytes: 10)
        memory.replicated([row])
        #expect(memory.indexedEntry(for: a)?.createdAt == 2_000)
        #expect(memory.answerInMemory(for: a) == nil)
        #expect(memory.usage == StoreUsage(entries: 1, bytes: 10))
    }

    @Test func anIdStoredUnderAnotherKeyTakesItsOldKeyAlong() {
        let memory = Self.memory()
        let (a, b) = (Self.key(1), Self.key(2))
        memory.stored(a, id: 5, entry: Self.entry(a), context: Self.context)
        memory.stored(b, id: 5, entry: Self.entry(b), context: Self.context)
        #expect(memory.indexedEntry(for: a) == nil)
        #expect(memory.indexedEntry(for: b)?.id == 5)
        memory.forget(ids: [5])
        #expect(memory.entryCount == 0)
    }

    @Test func whatARemovalOvertakesIsNotKept() {
        let memory = Self.memory()
        let a = Self.key(1)
        let entry = Self.entry(a, vector: nil)
        memory.stored(a, id: 1, entry: entry, context: Self.context)
        memory.forget(ids: [1])
        // A vector computed after the store write, and a store read, both finishing after the purge.
        memory.storedVector([0, 1, 0, 0, 0, 0, 0, 0], id: 1, context: Self.context)
        memory.keepHot(a, id: 1, entry: entry)
        #expect(memory.semantic?.count == 0)
        #expect(memory.answerInMemory(for: a) == nil)
    }

    @Test func aStoredAnswerLeavesThePendingOnes() {
        let memory = Self.memory()
        let a = Self.key(1)
        memory.stage(a, Self.entry(a))
        #expect(memory.answerInMemory(for: a)?.id == nil)
        #expect(memory.isStored(a, now: 1_500))
        memory.stored(a, id: 3, entry: Self.entry(a), context: Self.context)
        #expect(memory.pendingEntry(for: a) == nil)
        #expect(memory.answerInMemory(for: a)?.id == 3)
        #expect(!memory.isStored(a, now: 5_000), "expired")
    }

    @Test func hotEntriesEvictTheLeastRecentlyUsedBeyondTheirBudget() {
        // Each entry counts its response, prompt and 256 bytes, and may take an eighth of the budget: eight fit.
        let bytes = Self.entry(Self.key(0)).response.count + "question".utf8.count + 256
        let hot = HotEntries(budget: 8 * bytes + 10)
        let keys = (1...9).map { Self.key(UInt8($0)) }
        for (index, key) in keys.prefix(8).enumerated() { hot.insert(key, id: Int64(index), entry: Self.entry(key)) }
        #expect(hot.count == 8)
        #expect(hot.lookup(keys[0]) != nil)
        hot.insert(keys[8], id: 8, entry: Self.entry(keys[8]))
        #expect(hot.count == 8)
        #expect(hot.lookup(keys[1]) == nil, "the least recently used goes")
        #expect(keys.enumerated().allSatisfy { $0.offset == 1 || hot.lookup($0.element) != nil })
    }

    @Test func anAliasHoldsWhileItsEntryIsUnchangedAndOnlyUnderItsRule() throws {
        let memory = Self.memory()
        let (entryKey, paraphrase) = (Self.key(1), Self.key(9))
        memory.stored(entryKey, id: 1, entry: Self.entry(entryKey), context: Self.context)
        memory.rememberAlias(paraphrase, Self.alias(to: entryKey, id: 1))
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83))?.entry.id == 1)
        #expect(memory.hotAnswer(for: try #require(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83)))) != nil)
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.9)) == nil, "another threshold searches again")
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83)) != nil, "and leaves the alias to requests under its rule")

        memory.forget(ids: [1])
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83)) == nil)
        #expect(memory.aliasCount == 0)
    }

    @Test func anEntryReplacedUnderItsKeyLosesItsAliases() {
        let memory = Self.memory()
        let (entryKey, paraphrase) = (Self.key(1), Self.key(9))
        memory.stored(entryKey, id: 1, entry: Self.entry(entryKey), context: Self.context)
        memory.rememberAlias(paraphrase, Self.alias(to: entryKey, id: 1))
        memory.stored(entryKey, id: 1, entry: Self.entry(entryKey, answer: "new", createdAt: 2_000), context: Self.context)
        #expect(memory.aliasCount == 0)
        // An alias remembered from a read that the replacement overtook does not hold either.
        memory.rememberAlias(paraphrase, Self.alias(to: entryKey, id: 1))
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83)) == nil)
    }

    @Test func aParaphraseStoredUnderItsOwnKeyLosesItsAlias() {
        let memory = Self.memory()
        let (entryKey, paraphrase) = (Self.key(1), Self.key(9))
        memory.stored(entryKey, id: 1, entry: Self.entry(entryKey), context: Self.context)
        memory.rememberAlias(paraphrase, Self.alias(to: entryKey, id: 1))
        memory.stored(paraphrase, id: 2, entry: Self.entry(paraphrase), context: Self.context)
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83)) == nil)
        #expect(memory.aliasCount == 0)
    }

    @Test func aliasesAreBoundedLeastRecentlyUsedFirstOut() {
        let memory = Self.memory(aliasCapacity: 2)
        let entryKey = Self.key(1)
        let rule = HitRule(threshold: 0.83)
        memory.stored(entryKey, id: 1, entry: Self.entry(entryKey), context: Self.context)
        let paraphrases = (10...12).map { Self.key(UInt8($0)) }
        memory.rememberAlias(paraphrases[0], Self.alias(to: entryKey, id: 1))
        memory.rememberAlias(paraphrases[1], Self.alias(to: entryKey, id: 1))
        #expect(memory.alias(for: paraphrases[0], rule: rule) != nil)
        memory.rememberAlias(paraphrases[2], Self.alias(to: entryKey, id: 1))
        #expect(memory.aliasCount == 2)
        #expect(memory.alias(for: paraphrases[1], rule: rule) == nil, "the least recently used goes")
        #expect(memory.alias(for: paraphrases[0], rule: rule) != nil && memory.alias(for: paraphrases[2], rule: rule) != nil)

        memory.forgetAlias(key: paraphrases[0])
        #expect(memory.alias(for: paraphrases[0], rule: rule) == nil)
        memory.forget(ids: [1])
        #expect(memory.aliasCount == 0)
    }

    @Test func aCapacityOfZeroRemembersNothing() {
        let memory = Self.memory(aliasCapacity: 0)
        let (entryKey, paraphrase) = (Self.key(1), Self.key(9))
        memory.stored(entryKey, id: 1, entry: Self.entry(entryKey), context: Self.context)
        memory.rememberAlias(paraphrase, Self.alias(to: entryKey, id: 1))
        #expect(memory.alias(for: paraphrase, rule: HitRule(threshold: 0.83)) == nil)
    }

    @Test func theLeastRecentlyHitAreOverTheBudgetOldestFirst() {
        let memory = Self.memory()
        for id in Int64(1)...4 {
            let key = Self.key(UInt8(id))
            memory.stored(key, id: id, entry: Self.entry(key, createdAt: Double(id) * 1_000), context: Self.context)
        }
        memory.recordHit(id: 1, at: 9_000, counted: true)
        #expect(memory.overBudget(EvictionBudget(maxEntries: 2)) == [2, 3])
        #expect(memory.overBudget(EvictionBudget(maxEntries: 4)) == [])
        let entryBytes = memory.usage.bytes / 4
        #expect(memory.overBudget(EvictionBudget(maxBytes: 3 * entryBytes)) == [2])
    }
}
