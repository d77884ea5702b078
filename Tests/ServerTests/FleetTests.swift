import Foundation
import Testing
import TestSupport

/// Several `semcache serve` processes on one PostgreSQL database: what one stores or purges,
/// the others see within a second; a sidecar started later loads everything.
@Suite(.postgresCluster) struct FleetTests {
    @Test func storedThroughAHitsExactlyAndSemanticallyThroughB() async throws {
        try await Fleet.with(2, extraArguments: ["--embedder", "hash"]) { fleet, sidecars in
            let (a, b) = (sidecars[0], sidecars[1])
            #expect(try await fleet.ask(a, "What is the capital city of France?").header("x-semcache") == "miss")
            try await Fleet.waitForPropagation()
            #expect(try await fleet.ask(b, "What is the capital city of France?").header("x-semcache") == "hit-exact")
            let semantic = try await fleet.ask(b, "what is the capital city of France")
            #expect(semantic.header("x-semcache") == "hit-semantic")
            #expect(fleet.mock.requestCount(path: "/v1/chat/completions") == 1)
        }
    }

    @Test func purgeThroughAMakesBMiss() async throws {
        try await Fleet.with(2) { fleet, sidecars in
            let (a, b) = (sidecars[0], sidecars[1])
            _ = try await fleet.ask(a, "purge me across the fleet")
            try await Fleet.waitForPropagation()
            #expect(try await fleet.ask(b, "purge me across the fleet").header("x-semcache") == "hit-exact")
            let purge = try await fleet.request(a, "POST", "/_semcache/purge", body: #"{"all":true}"#)
            #expect(purge.status == 200)
            try await Fleet.waitForPropagation()
            #expect(try await fleet.ask(b, "purge me across the fleet").header("x-semcache") == "miss")
        }
    }

    @Test func aParaphraseRememberedByBMissesOnceAPurgeThroughAReachesIt() async throws {
        try await Fleet.with(2, extraArguments: ["--embedder", "hash"]) { fleet, sidecars in
            let (a, b) = (sidecars[0], sidecars[1])
            _ = try await fleet.ask(a, "What is the capital city of France?")
            try await Fleet.waitForPropagation()
            for _ in 0..<2 {  // the second is answered from what the first remembered
                #expect(try await fleet.ask(b, "what is the capital city of France").header("x-semcache") == "hit-semantic")
            }
            #expect(try await fleet.request(a, "POST", "/_semcache/purge", body: #"{"all":true}"#).status == 200)
            try await Fleet.waitForPropagation()
            #expect(try await fleet.ask(b, "what is the capital city of France").header("x-semcache") == "miss")
        }
    }

    @Test func tenantsStayIsolatedAcrossNodes() async throws {
        try await Fleet.with(2) { fleet, sidecars in
            let (a, b) = (sidecars[0], sidecars[1])
            _ = try await fleet.ask(a, "tenant secret question", apiKey: "sk-tenant-one")
            try await Fleet.waitForPropagation()
            #expect(try await fleet.ask(b, "tenant secret question", apiKey: "sk-tenant-one").header("x-semcache") == "hit-exact")
            #expect(try await fleet.ask(b, "tenant secret question", apiKey: "sk-tenant-two").header("x-semcache") == "miss")
        }
    }

    @Test func statsAndEntriesThroughAnySidecarShowTheWholeFleet() async throws {
        try await Fleet.with(2) { fleet, sidecars in
            let (a, b) = (sidecars[0], sidecars[1])
            for question in ["fleet stats one", "fleet stats two", "fleet stats three"] { _ = try await fleet.ask(a, question) }
            for question in ["fleet stats four", "fleet stats five"] { _ = try await fleet.ask(b, question) }
            // Each sidecar writes its counts every 5 s; the report writes the asking sidecar's first.
            try await Task.sleep(for: .seconds(6))
            let stats = try await fleet.request(a, "GET", "/_semcache/stats").json
            #expect(stats?["requests"]?["total"]?.int == 5)
            #expect(stats?["store"]?["entries"]?.int == 5)
            let entries = try await fleet.request(b, "GET", "/_semcache/entries").json?["entries"]?.array
            #expect(entries?.count == 5)
        }
    }

    @Test func aSidecarStartedLaterLoadsEverything() async throws {
        try await Fleet.with(1) { fleet, sidecars in
            let questions = (0..<20).map { "question \($0) asked before the late sidecar" }
            for question in questions { _ = try await fleet.ask(sidecars[0], question) }
            let late = try await fleet.launch()
            for question in questions {
                #expect(try await fleet.ask(late, question).header("x-semcache") == "hit-exact")
            }
            #expect(fleet.mock.requestCount(path: "/v1/chat/completions") == questions.count)
        }
    }
}

/// The database password, given in the URL, appears nowhere in what the sidecar prints.
@Suite(.postgresCluster) struct FleetCredentialTests {
    @Test func thePasswordInTheURLIsNeverPrintedOrLogged() async throws {
        let password = "pw-\(UUID().uuidString)"
        let url = try PostgresTestCluster.required().freshDatabaseURL()
            .replacingOccurrences(of: "postgres://postgres@", with: "postgres://postgres:\(password)@")
        try await Fleet.with(0) { fleet, _ in
            let sidecar = try await fleet.launch(database: url, extraArguments: ["--log-level", "trace"])
            _ = try await fleet.ask(sidecar, "is the password logged?")
            _ = try await fleet.request(sidecar, "GET", "/_semcache/health")
            sidecar.signal(SIGTERM)
            _ = try await sidecar.waitForExit()
            let output = String(decoding: sidecar.capturedOutput, as: UTF8.self)
            #expect(output.contains("db: postgres://postgres@127.0.0.1:"))
            #expect(!output.contains(password))
        }
    }
}
