import Testing
@testable import SemanticCache

@Suite struct RequestDirectivesTests {
    private func directives(_ headers: [(String, String)]) throws(DirectiveError) -> RequestDirectives {
        try RequestDirectives(headers: headers)
    }

    @Test func noHeadersMeansServerDefaults() throws {
        let parsed = try directives([("Content-Type", "application/json"), ("Authorization", "Bearer x")])
        #expect(parsed == RequestDirectives())
        #expect(!parsed.noCache && !parsed.noStore)
        #expect(parsed.maxAge == nil && parsed.mode == nil && parsed.threshold == nil && parsed.namespace == nil && parsed.ttl == nil)
    }

    @Test func cacheControlDirectives() throws {
        #expect(try directives([("Cache-Control", "no-cache")]).noCache)
        #expect(try directives([("cache-control", "NO-STORE")]).noStore)
        #expect(try directives([("Cache-Control", "max-age=60")]).maxAge == 60)
        #expect(try directives([("Cache-Control", "max-age=\"30\"")]).maxAge == 30)
        #expect(try directives([("Cache-Control", "max-age=0")]).maxAge == 0)
        let combined = try directives([("CACHE-CONTROL", " no-cache ,max-age=5 , no-store")])
        #expect(combined.noCache && combined.noStore && combined.maxAge == 5)
        let split = try directives([("Cache-Control", "no-cache"), ("Cache-Control", "max-age=9")])
        #expect(split.noCache && split.maxAge == 9 && !split.noStore)
        // The most restrictive max-age wins.
        #expect(try directives([("Cache-Control", "max-age=100, max-age=10")]).maxAge == 10)
    }

    @Test func cacheControlIsLenient() throws {
        let parsed = try directives([("Cache-Control", "max-age=abc, max-age=-1, max-age, max-age=1.5, private, x-ext=\"a,no-store\", ,")])
        #expect(parsed.maxAge == nil)
        #expect(!parsed.noStore)  // "no-store" inside a quoted extension value is not a directive
        #expect(try directives([("Cache-Control", "max-age=99999999999999999999999")]).maxAge == 2_147_483_648)
        #expect(try directives([("Cache-Control", "only-if-cached, no-transform")]) == RequestDirectives())
    }

    @Test func semcacheHeaders() throws {
        let parsed = try directives([
            ("X-Semcache-Mode", "semantic"), ("x-semcache-threshold", "0.85"), ("X-SEMCACHE-NAMESPACE", "team-a/prod"),
            ("X-Semcache-TTL", "3600"), ("X-Semcache-Nondeterministic", "Cache"),
        ])
        #expect(parsed.mode == .semantic)
        #expect(parsed.threshold == 0.85)
        #expect(parsed.namespace == "team-a/prod")
        #expect(parsed.ttl == 3600)
        #expect(parsed.nondeterministic == .cache)
        #expect(try directives([("x-semcache-nondeterministic", "bypass")]).nondeterministic == .bypass)
        #expect(try directives([]).nondeterministic == nil)
        #expect(try directives([("X-Semcache-Mode", " EXACT ")]).mode == .exact)
        #expect(try directives([("X-Semcache-Mode", "off")]).mode == .off)
        #expect(try directives([("X-Semcache-Threshold", "0")]).threshold == 0)
        #expect(try directives([("X-Semcache-Threshold", "1")]).threshold == 1)
        #expect(try directives([("X-Semcache-Threshold", "1.0")]).threshold == 1)
        #expect(try directives([("X-Semcache-Namespace", String(repeating: "n", count: 128))]).namespace?.count == 128)
        #expect(try directives([("X-Semcache-TTL", "2147483647")]).ttl == 2_147_483_647)
        #expect(try directives([("X-Semcache-Mode", "exact"), ("X-Semcache-Mode", "exact")]).mode == .exact)
    }

    @Test(arguments: [
        ("X-Semcache-Mode", "fuzzy", "exact, semantic, off"),
        ("X-Semcache-Mode", "", "exact, semantic, off"),
        ("X-Semcache-Threshold", "1.5", "from 0 to 1"),
        ("X-Semcache-Threshold", "-0.1", "from 0 to 1"),
        ("X-Semcache-Threshold", "nan", "from 0 to 1"),
        ("X-Semcache-Threshold", "inf", "from 0 to 1"),
        ("X-Semcache-Threshold", ".5", "from 0 to 1"),
        ("X-Semcache-Threshold", "5e-1", "from 0 to 1"),
        ("X-Semcache-Threshold", "0x1p-1", "from 0 to 1"),
        ("X-Semcache-Threshold", "", "from 0 to 1"),
        ("X-Semcache-Namespace", "", "1 to 128 visible ASCII"),
        ("X-Semcache-Namespace", "has space", "1 to 128 visible ASCII"),
        ("X-Semcache-Namespace", "tab\there", "1 to 128 visible ASCII"),
        ("X-Semcache-Namespace", "équipe", "1 to 128 visible ASCII"),
        ("X-Semcache-Namespace", String(repeating: "n", count: 129), "1 to 128 visible ASCII"),
        ("X-Semcache-TTL", "0", "from 1 to 2147483647"),
        ("X-Semcache-TTL", "-5", "from 1 to 2147483647"),
        ("X-Semcache-TTL", "1.5", "from 1 to 2147483647"),
        ("X-Semcache-TTL", "2147483648", "from 1 to 2147483647"),
        ("X-Semcache-TTL", "99999999999999999999999", "from 1 to 2147483647"),
        ("X-Semcache-TTL", "ten", "from 1 to 2147483647"),
        ("X-Semcache-Nondeterministic", "yes", "cache, bypass"),
        ("X-Semcache-Nondeterministic", "", "cache, bypass"),
    ])
    func invalidSemcacheValuesAreErrorsNamingTheHeader(header: String, value: String, allowed: String) {
        #expect(throws: DirectiveError.self) { try directives([(header.lowercased(), value)]) }
        do {
            _ = try directives([(header.lowercased(), value)])
        } catch {
            #expect(error.header == header)
            #expect(error.description.contains(header))
            #expect(error.description.contains(allowed), "\(error.description)")
        }
    }

    @Test func conflictingRepeatedSemcacheHeadersAreErrors() {
        #expect(throws: DirectiveError.self) { try directives([("X-Semcache-Mode", "exact"), ("x-semcache-mode", "off")]) }
    }
}
