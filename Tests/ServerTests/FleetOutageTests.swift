import Foundation
import Logging
import PostgresStore
import Store
import Synchronization
import Testing
import TestSupport

/// Traffic sent round-robin to a fleet's sidecars until stopped: every question is new (a miss
/// that is stored), and every answer that is not a 200 is a failure.
final class FleetTraffic: Sendable {
    private struct State {
        var answered: [String] = []
        var failures: [String] = []
    }

    private let state = Mutex(State())
    private let workers = Mutex<[Task<Void, Never>]>([])
    /// Set by ``stop()``: each worker finishes the request it is sending, then ends.
    private let stopping = Atomic<Bool>(false)

    init(_ fleet: Fleet, _ sidecars: [SidecarProcess], workers count: Int) {
        let tasks = (0..<count).map { worker in
            Task { [self] in
                var index = 0
                while !stopping.load(ordering: .relaxed) {
                    let question = "fleet traffic \(worker)-\(index)"
                    let sidecar = sidecars[(worker + index) % sidecars.count]
                    index += 1
                    do {
                        let response = try await fleet.ask(sidecar, question)
                        record(question, failure: response.status == 200 ? nil : "\(response.status)")
                    } catch {
                        record(question, failure: "\(error)")
                    }
                }
            }
        }
        workers.withLock { $0 = tasks }
    }

    private func record(_ question: String, failure: String?) {
        state.withLock { state in
            if let failure { state.failures.append("\(question): \(failure)") } else { state.answered.append(question) }
        }
    }

    var answered: [String] { state.withLock { $0.answered } }
    var failures: [String] { state.withLock { $0.failures } }

    func stop() async {
        stopping.store(true, ordering: .relaxed)
        for task in workers.withLock({ $0 }) { await task.value }
    }

    /// Waits until `count` more requests were answered (bounded by `limit`).
    func waitForAnswers(_ count: Int, within limit: Duration = .seconds(20)) async throws {
        let target = answered.count + count
        let deadline = ContinuousClock.now + limit
        while answered.count < target, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }
}

/// Faults: the database stopped and restarted mid-traffic, a sidecar killed under write load.
/// Each test has its own cluster, since one stops it.
@Suite struct FleetOutageTests {
    @Test(.postgresCluster) func postgresRestartedMidTrafficFailsNoRequestAndReplicasConverge() async throws {
        let cluster = try PostgresTestCluster.required()
        try await Fleet.with(2) { fleet, sidecars in
            let traffic = FleetTraffic(fleet, sidecars, workers: 4)
            try await traffic.waitForAnswers(50)
            try cluster.stop()
            try await traffic.waitForAnswers(50)
            #expect(try await Self.health(fleet, sidecars[0], becomes: "degraded"))
            let duringOutage = traffic.answered.suffix(20)
            try cluster.start()
            try await traffic.waitForAnswers(100)
            await traffic.stop()
            #expect(traffic.failures.isEmpty, "\(traffic.failures.prefix(5))")

            // Whatever the database holds now answers through both sidecars once the feed caught up
            // (a catch-up step stuck on a connection the restart killed gives up after 3 s).
            try await Task.sleep(for: .seconds(5))
            let store = try await PostgresCacheStore.open(try PostgresLocation(url: fleet.database, environment: [:]), logger: Logger(label: "test"))
            let stored = try await store.entries(afterID: 0, limit: 100_000).compactMap(\.entry.prompt)
            #expect(stored.count >= 100)
            // Answers to questions asked while the database was down waited in memory and were written.
            #expect(Set(duringOutage).isSubset(of: Set(stored)), "\(Set(duringOutage).subtracting(stored).count) of 20 lost")
            for question in stored.shuffled().prefix(40) {
                for sidecar in sidecars {
                    let answer = try await fleet.ask(sidecar, question)
                    #expect(answer.header("x-semcache") == "hit-exact", "\(question) through \(sidecar.port): \(answer.header("cache-status") ?? "")")
                }
            }
            // Health turns back to ok once no store error happened for a few seconds.
            #expect(try await Self.health(fleet, sidecars[1], becomes: "ok"))
        }
    }

    @Test(.postgresCluster) func aSidecarStartedWhileTheDatabaseIsDownCachesOnceItIsBack() async throws {
        let cluster = try PostgresTestCluster.required()
        try await Fleet.with(1) { fleet, sidecars in
            try cluster.stop()
            let late = try await fleet.launch()
            let meanwhile = try await fleet.ask(late, "asked while the database is down")
            #expect(meanwhile.status == 200 && meanwhile.header("x-semcache") == "bypass")
            #expect(meanwhile.header("cache-status")?.contains("store-unavailable") == true)
            let health = try await fleet.request(late, "GET", "/_semcache/health").json
            #expect(health?["status"]?.string == "degraded" && health?["store"]?["status"]?.string == "unavailable")
            try cluster.start()

            // The late sidecar keeps trying to open the database: once it has, it stores and hits.
            var stored = false
            for attempt in 0..<60 where !stored {
                let question = "asked once the database is back \(attempt)"
                _ = try await fleet.ask(late, question)
                stored = try await fleet.ask(late, question).header("x-semcache") == "hit-exact"
                if !stored { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(stored, "the sidecar started without its database never cached")
            // It follows the fleet's feed too: an answer stored through the other sidecar hits on it.
            _ = try await fleet.ask(sidecars[0], "stored by the sidecar that started with the database")
            try await Fleet.waitForPropagation()
            #expect(try await fleet.ask(late, "stored by the sidecar that started with the database").header("x-semcache") == "hit-exact")
            #expect(try await Self.health(fleet, late, becomes: "ok"))
        }
    }

    /// Whether `/_semcache/health` reports `status` within 10 s.
    static func health(_ fleet: Fleet, _ sidecar: SidecarProcess, becomes status: String) async throws -> Bool {
        for _ in 0..<100 {
            if try await fleet.request(sidecar, "GET", "/_semcache/health").json?["status"]?.string == status { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(.postgresCluster) func killMinus9UnderWriteLoadLosesNothingCommitted() async throws {
        try await Fleet.with(2) { fleet, sidecars in
            let traffic = FleetTraffic(fleet, [sidecars[0]], workers: 4)
            try await traffic.waitForAnswers(200)
            let store = try await PostgresCacheStore.open(try PostgresLocation(url: fleet.database, environment: [:]), logger: Logger(label: "test"))
            let committed = try await store.entryIDs(matching: EntryFilter())
            sidecars[0].signal(SIGKILL)
            _ = try await sidecars[0].waitForExit()
            await traffic.stop()
            #expect(committed.count >= 50)
            let survived = Set(try await store.entryIDs(matching: EntryFilter()))
            #expect(Set(committed).isSubset(of: survived))
            // The surviving sidecar answers every committed entry; so does one started now.
            let late = try await fleet.launch()
            try await Fleet.waitForPropagation()
            for id in committed.shuffled().prefix(30) {
                let prompt = try #require(try await store.entry(id: id)?.entry.prompt)
                #expect(try await fleet.ask(sidecars[1], prompt).header("x-semcache") == "hit-exact")
                #expect(try await fleet.ask(late, prompt).header("x-semcache") == "hit-exact")
            }
        }
    }
}
