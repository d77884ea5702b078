import Testing
@testable import SemanticCache

@Suite struct CacheStatusHeaderTests {
    @Test func hits() {
        #expect(CacheStatusHeader(outcome: .hit, detail: "exact").value == "semcache; hit; detail=exact")
        #expect(CacheStatusHeader(outcome: .hit, ttl: 3600, detail: "semantic").value == "semcache; hit; ttl=3600; detail=semantic")
        #expect(CacheStatusHeader(outcome: .hit, ttl: -5, key: "ab12").value == "semcache; hit; ttl=-5; key=\"ab12\"")
    }

    @Test func forwards() {
        #expect(CacheStatusHeader(outcome: .forwarded(.uriMiss), stored: true).value == "semcache; fwd=uri-miss; stored")
        #expect(CacheStatusHeader(outcome: .forwarded(.uriMiss), forwardStatus: 200, stored: true).value
            == "semcache; fwd=uri-miss; fwd-status=200; stored")
        #expect(CacheStatusHeader(outcome: .forwarded(.miss), detail: "no-store").value == "semcache; fwd=miss; detail=no-store")
        #expect(CacheStatusHeader(outcome: .forwarded(.bypass), detail: "nondeterministic").value
            == "semcache; fwd=bypass; detail=nondeterministic")
        #expect(CacheStatusHeader(outcome: .forwarded(.request), stored: true).value == "semcache; fwd=request; stored")
        #expect(CacheStatusHeader(outcome: .forwarded(.stale), forwardStatus: 502).value == "semcache; fwd=stale; fwd-status=502")
        #expect(CacheStatusHeader(outcome: .forwarded(.uriMiss), collapsed: true).value == "semcache; fwd=uri-miss; collapsed")
        #expect(CacheStatusHeader.name == "Cache-Status")
    }

    @Test func forwardReasonsUseRFC9211Tokens() {
        #expect(CacheStatusHeader.ForwardReason.allCases.map(\.rawValue)
            == ["bypass", "method", "uri-miss", "vary-miss", "miss", "request", "stale", "partial"])
    }

    @Test func nonTokenValuesAreQuotedAsStructuredFieldStrings() {
        #expect(CacheStatusHeader(outcome: .hit, detail: "two words").value == "semcache; hit; detail=\"two words\"")
        #expect(CacheStatusHeader(outcome: .hit, detail: "say \"hi\" \\ é").value == "semcache; hit; detail=\"say \\\"hi\\\" \\\\ ?\"")
        #expect(CacheStatusHeader(outcome: .hit, detail: "0.93").value == "semcache; hit; detail=\"0.93\"")
        #expect(CacheStatusHeader(cacheName: "my cache", outcome: .hit).value == "\"my cache\"; hit")
        #expect(CacheStatusHeader(outcome: .hit, detail: "store:error/db").description == "semcache; hit; detail=store:error/db")
    }
}
