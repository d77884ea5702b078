import Foundation
import Testing

/// The admin-token rule: open on loopback without a token, bearer token when one is set,
/// disabled on other binds without one; the dashboard page itself is always served.
@Suite struct AdminAccessTests {
    static let adminPaths = ["/_semcache/stats", "/metrics", "/_semcache/entries", "/_semcache/health"]

    @Test func loopbackWithoutATokenIsOpen() async throws {
        try await Harness.with { harness throws in  // the only `try` is in a macro, so spelled out
            for path in Self.adminPaths { #expect(try await harness.request("GET", path).status == 200, "\(path)") }
        }
    }

    @Test(arguments: ["127.0.0.1", "0.0.0.0"])
    func aTokenIsRequiredOnceSet(host: String) async throws {
        try await Harness.with(host: host, adminToken: "s3cret-admin-token") { harness in
            for path in Self.adminPaths {
                let missing = try await harness.request("GET", path)
                #expect(missing.status == 401, "\(path)")
                #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
                #expect(!missing.text.contains("s3cret"))
                let wrong = try await harness.request("GET", path, headers: [("authorization", "Bearer s3cret-admin-tokeN")])
                #expect(wrong.status == 403, "\(path)")
                let other = try await harness.request("GET", path, headers: [("authorization", "Basic czNjcmV0")])
                #expect(other.status == 401, "\(path)")
                let right = try await harness.request("GET", path, headers: [("authorization", "Bearer s3cret-admin-token")])
                #expect(right.status == 200, "\(path)")
            }
            let purge = try await harness.request("POST", "/_semcache/purge", headers: [("authorization", "Bearer nope")], body: Array(#"{"all":true}"#.utf8))
            #expect(purge.status == 403)
            let page = try await harness.request("GET", "/_semcache/")
            #expect(page.status == 200)
            #expect(page.header("content-type")?.hasPrefix("text/html") == true)
            // The proxy itself is unaffected.
            #expect(try await harness.post("/v1/chat/completions", json: KnownTraffic.france).status == 200)
        }
    }

    @Test func otherBindsWithoutATokenDisableTheAdminEndpoints() async throws {
        try await Harness.with(host: "0.0.0.0") { harness in
            for path in Self.adminPaths {
                let response = try await harness.request("GET", path)
                #expect(response.status == 403, "\(path)")
                #expect(response.json?["error"]?["message"]?.string?.contains("--admin-token") == true)
            }
            #expect(try await harness.post("/v1/chat/completions", json: KnownTraffic.france).header("x-semcache") == "miss")
        }
    }
}
