import Foundation
import SemanticCache
import Testing

/// The dashboard as a person sees it: headless Chromium loads `/_semcache/` from a sidecar with
/// known traffic (`Tests/clients/dashboard_probe.py` reads the rendered page over the DevTools
/// protocol). Skipped only when no Chromium is installed (`make test` installs it).
@Suite(.enabled(if: DashboardBrowser.chromium != nil, "no chromium binary: apt-get install chromium (make test installs it), or set CHROMIUM"))
struct DashboardBrowserTests {
    @Test(arguments: [900, 1400])
    func theNumbersShowAndNothingOverflows(width: Int) async throws {
        try await Harness.with { harness in
            _ = try await KnownTraffic.send(through: harness)
            try await harness.settle(requests: 12, entries: 3)
            // A long prompt of a long model name, stored and hit twice: the widest rows real traffic has.
            let long = Harness.chat(DashboardBrowser.longPrompt, model: "claude-sonnet-4-5-20250929")
            _ = try await harness.post("/v1/chat/completions", json: long)
            try await harness.settle(requests: 13, entries: 4)
            for _ in 0..<2 { _ = try await harness.post("/v1/chat/completions", json: long) }
            try await harness.settle(requests: 15, entries: 4)
            let stats = try #require(try await harness.request("GET", "/_semcache/stats?since=1h").json)
            let page = try await DashboardBrowser.load(harness.baseURL + "/_semcache/#1h", width: width)

            #expect(page["error"] == .null)
            #expect(page["subtitle"]?.string?.hasPrefix("last 1h · prices as of ") == true, "\(page["subtitle"] ?? .null)")
            let requests = try DashboardBrowser.card("Requests", in: page)
            #expect(requests.value == "15")
            #expect(requests.note == "6 hits · 0 coalesced · 5 misses · 2 bypasses · 1 pass-through")
            #expect(try DashboardBrowser.card("Hit rate", in: page).value == "54.5%")
            // Amounts under a cent keep two significant digits instead of showing $0.0000.
            let money = try DashboardBrowser.card("Money saved", in: page).value
            let cost = try #require(stats["saved"]?["cost_usd"]?.double)
            #expect(cost > 0 && cost < 0.01)
            let shown = try #require(Double(money.dropFirst()), "\(money)")
            #expect(money.hasPrefix("$") && abs(shown - cost) / cost < 0.05, "\(money) for \(cost)")
            #expect(try DashboardBrowser.card("Store", in: page).value == "4 entries")

            let entries = try #require(page["tables"]?["entries"]?.array)
            let shownPrompt = try #require(entries.first?[6]?.string)
            #expect(shownPrompt.count >= 120 && DashboardBrowser.longPrompt.hasPrefix(shownPrompt))
            // Each model's savings as the JSON has them: two significant digits, or <$0.000001.
            let models = try #require(page["tables"]?["models"]?.array)
            for model in try #require(stats["models"]?.array) {
                let row = try #require(models.first { $0[0] == model["model"] }?.array)
                let cost = try #require(model["cost_saved_usd"]?.double)
                let text = try #require(row.last?.string)
                if cost < 0.000001 {
                    #expect(text == "<$0.000001")
                } else {
                    #expect(abs((Double(text.dropFirst()) ?? 0) - cost) / cost < 0.05, "\(text) for \(cost)")
                }
            }
            let misses = try #require(page["tables"]?["misses"]?.array)
            // Newest first: the long prompt's miss, then the connection the upstream dropped.
            #expect(misses.map { $0[2]?.string } == ["uri-miss", "upstream unreachable", "uri-miss", "uri-miss", "uri-miss"])
            let other = try #require(page["tables"]?["other"]?.array)
            #expect(other.contains { $0[0]?.string == "entries stored" && $0[1]?.string == "4" })

            #expect((page["scroll_width"]?.int ?? .max) <= (page["inner_width"]?.int ?? 0), "the page scrolls sideways at \(width) px")
            #expect(page["overflowing_sections"]?.array == [], "\(page["overflowing_sections"] ?? .null)")
            #expect(page["clipped_chart_labels"]?.array == [], "\(page["clipped_chart_labels"] ?? .null)")
        }
    }

    /// A model the price table does not know shows "no price", not a guess and not $0.
    @Test func unpricedModelsShowNoPrice() async throws {
        try await Harness.with { harness in
            let body = Harness.chat("What is the capital of France?", model: "my-local-llama")
            _ = try await harness.post("/v1/chat/completions", json: body)
            try await harness.settle(requests: 1, entries: 1)
            _ = try await harness.post("/v1/chat/completions", json: body)
            try await harness.settle(requests: 2, entries: 1)
            let page = try await DashboardBrowser.load(harness.baseURL + "/_semcache/", width: 900)
            #expect(try DashboardBrowser.card("Money saved", in: page) == ("$0.00", "no price: my-local-llama"))
            #expect(page["tables"]?["models"]?[0]?.array?.last == .string("no price"))
            #expect(page["tables"]?["entries"]?[0]?[5] == .string("no price"))
        }
    }

    /// The "Verified hits" section as a person reads it after a wrong and a right semantic hit were
    /// checked: the counts, the false-hit rate with its interval, the calls spent.
    @Test func verifiedHitsShowTheirCountsAndFalseHitRate() async throws {
        try await VerificationTests.with(VerificationSettings(semanticRate: 1, budgetPerMinute: 60)) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(VerificationTests.stored))
            for paraphrase in [VerificationTests.wrongParaphrase, VerificationTests.rightParaphrase] {
                #expect(try await harness.post("/v1/chat/completions", json: Harness.chat(paraphrase)).header("x-semcache") == "hit-semantic")
            }
            _ = try await VerificationTests.waitForVerification(harness) { $0["semantic_hits"]?["checked"]?.int == 2 }
            let page = try await DashboardBrowser.load(harness.baseURL + "/_semcache/#1h", width: 900)
            #expect(page["error"] == .null)
            let rows = try #require(page["tables"]?["verified"]?.array)
            let row = { (what: String) in rows.first { $0[0]?.string == what }?.array?.compactMap(\.string) }
            #expect(row("semantic hits") == ["semantic hits", "2", "1"])
            #expect(row("false-hit rate of semantic hits") == ["false-hit rate of semantic hits", "50.0% (95%: 9.5%–90.5%)", ""])
            #expect(row("extra upstream calls") == ["extra upstream calls", "2", "0 over budget"])
            #expect(page["tables"]?["thresholds"]?[0]?[0]?.string == "nothing yet")
            #expect(page["overflowing_sections"]?.array == [], "\(page["overflowing_sections"] ?? .null)")
        }
    }

    /// With a bound, the learnt-threshold table lists the context a near miss taught, and that it
    /// serves no semantic hit yet.
    @Test func learntThresholdsShowPerContext() async throws {
        try await VerificationTests.with(VerificationSettings(maxFalseHitRate: 0.01), threshold: 0.5) { harness in
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat(VerificationTests.stored))
            _ = try await harness.post("/v1/chat/completions", json: Harness.chat("Reversing the order of items of a Python list"))
            let verification = try await VerificationTests.waitForVerification(harness) { $0["near_misses"]?["checked"]?.int == 1 }
            let context = try #require(verification["thresholds"]?[0]?["context"]?.string)
            let wrong = String(try #require(verification["near_misses"]?["wrong"]?.int))
            let page = try await DashboardBrowser.load(harness.baseURL + "/_semcache/#1h", width: 900)
            let rows = try #require(page["tables"]?["verified"]?.array)
            #expect(rows.contains { $0.array?.compactMap(\.string) == ["near misses (no extra call)", "1", wrong] })
            let thresholds = try #require(page["tables"]?["thresholds"]?.array)
            #expect(thresholds.count == 1)
            #expect(thresholds.first?.array?.prefix(4).compactMap(\.string) == [context, "1", wrong, "none served"])
        }
    }

    /// Without the admin token the page says what is wrong and offers the token form; the header
    /// no longer says "loading…".
    @Test func aMissingAdminTokenShowsTheTokenForm() async throws {
        try await Harness.with(adminToken: "dashboard-test-token") { harness in
            let page = try await DashboardBrowser.load(harness.baseURL + "/_semcache/", width: 900)
            #expect(page["token_form_shown"] == .bool(true))
            #expect(page["subtitle"]?.string == "admin token required")
            #expect(page["error"]?.string?.isEmpty == false)
            #expect(page["cards"]?.array == [])
        }
    }
}

/// Runs `dashboard_probe.py` against a page and returns its report.
enum DashboardBrowser {
    static let longPrompt = "Summarise this support ticket in three bullet points for the on-call engineer: the customer "
        + "cannot download last month's invoice from the billing page since the redesign, and the export button spins forever."

    static let chromium: String? = {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func load(_ url: String, width: Int, height: Int = 1000) async throws -> JSONValue {
        let chromium = try #require(chromium)
        let script = SDKClient.repositoryRoot.appendingPathComponent("Tests/clients/dashboard_probe.py").path
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", script, chromium, url, String(width), String(height)])
        try #require(run.status == 0, "dashboard_probe.py failed: \(run.err)")
        return try JSONValue.parse(run.out)
    }

    static func card(_ label: String, in page: JSONValue) throws -> (value: String, note: String) {
        let card = try #require(page["cards"]?.array?.first { $0["label"]?.string?.lowercased() == label.lowercased() }, "no \(label) card")
        return (card["value"]?.string ?? "", card["note"]?.string ?? "")
    }
}
