import Foundation
import Testing

/// The dashboard is one self-contained page: served by the sidecar, nothing loaded from elsewhere.
@Suite struct DashboardTests {
    @Test func thePageIsServedAndSelfContained() async throws {
        try await Harness.with { harness in
            let page = try await harness.request("GET", "/_semcache/")
            #expect(page.status == 200)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            let html = page.text
            #expect(html.contains("<svg id=\"chart\""))
            #expect(html.contains("fetch(\"stats?since="))
            // No external resources: no URL with a scheme or a protocol-relative host, no script or
            // style loaded from elsewhere; the only link is the empty inline icon (so browsers do not
            // ask the upstream for /favicon.ico).
            for forbidden in ["http://", "https://", "src=", "@import", "url(", "\"//"] {
                #expect(!html.contains(forbidden), "the page contains \(forbidden)")
            }
            #expect(html.components(separatedBy: "href=").count == 2)
            #expect(html.contains(#"<link rel="icon" href="data:,">"#))
            // The data it fetches has what it draws.
            _ = try await KnownTraffic.send(through: harness)
            try await harness.settle(requests: 12, entries: 3)
            let stats = try #require(try await harness.request("GET", "/_semcache/stats?since=24h&series=auto").json)
            let points = try #require(stats["series"]?["points"]?.array)
            #expect(!points.isEmpty)
            #expect(points.reduce(0) { $0 + ($1["hits"]?.int ?? 0) } == 4)
        }
    }
}
