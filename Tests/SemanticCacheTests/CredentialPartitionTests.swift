import Testing
@testable import SemanticCache

@Suite struct CredentialPartitionTests {
    private func partition(_ headers: HeaderList) -> CachePartition {
        CachePartition(namespace: "", credential: Forwarding.credential(in: headers), shared: false)
    }

    @Test func everyHeaderThatCarriesAKeyGivesTheSamePartition() {
        let bearer = partition([(name: "Authorization", value: "Bearer sk-alice")])
        #expect(partition([(name: "x-api-key", value: "sk-alice")]) == bearer)
        #expect(partition([(name: "api-key", value: "sk-alice")]) == bearer)
        #expect(partition([(name: "authorization", value: "bearer  sk-alice ")]) == bearer)
        #expect(partition([(name: "Authorization", value: "Bearer sk-alice"), (name: "X-Api-Key", value: "sk-alice")]) == bearer)
        #expect(PrewarmPartition(apiKey: "sk-alice").cachePartition(shared: false) == bearer)
    }

    @Test func differentKeysAndSchemesStayApart() {
        let alice = partition([(name: "x-api-key", value: "sk-alice")])
        #expect(partition([(name: "x-api-key", value: "sk-bob")]) != alice)
        #expect(partition([(name: "authorization", value: "Basic sk-alice")]) != alice)
        #expect(partition([(name: "x-api-key", value: "sk-alice"), (name: "authorization", value: "Bearer sk-bob")]) != alice)
        #expect(partition([]) != alice)
        #expect(Forwarding.credential(in: [(name: "content-type", value: "application/json")]) == nil)
    }

    @Test func theOrderOfSeveralCredentialsDoesNotMatter() {
        let one = partition([(name: "x-api-key", value: "sk-a"), (name: "authorization", value: "Bearer sk-b")])
        let other = partition([(name: "authorization", value: "Bearer sk-b"), (name: "x-api-key", value: "sk-a")])
        #expect(one == other)
    }
}
