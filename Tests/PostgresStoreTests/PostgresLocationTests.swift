import PostgresStore
import Testing

@Suite struct PostgresLocationTests {
    @Test func aFullURLIsParsedAndDescribedWithoutItsPassword() throws {
        let location = try PostgresLocation(url: "postgres://app:s%40cret@db.internal:6543/cache?sslmode=require", environment: [:])
        #expect(location.user == "app" && location.password == "s@cret")
        #expect(location.host == "db.internal" && location.port == 6543 && location.database == "cache")
        #expect(location.tls == .require)
        #expect(location.description == "postgres://app@db.internal:6543/cache")
        #expect(!location.description.contains("cret"))
    }

    @Test func whatTheURLLeavesOutComesFromThePGVariables() throws {
        let environment = ["PGHOST": "10.1.2.3", "PGPORT": "5433", "PGUSER": "fleet", "PGPASSWORD": "pw", "PGDATABASE": "shared", "PGSSLMODE": "disable"]
        let location = try PostgresLocation(url: "postgres://", environment: environment)
        #expect(location.host == "10.1.2.3" && location.port == 5433 && location.user == "fleet")
        #expect(location.password == "pw" && location.database == "shared" && location.tls == .disable)
        let overridden = try PostgresLocation(url: "postgresql://other@127.0.0.1/mine", environment: environment)
        #expect(overridden.user == "other" && overridden.host == "127.0.0.1" && overridden.port == 5433 && overridden.database == "mine")
    }

    @Test func defaultsAreLibpqs() throws {
        let location = try PostgresLocation(url: "postgres://app@db", environment: [:])
        #expect(location.port == 5432 && location.database == "app" && location.tls == .prefer)
    }

    @Test func badURLsAreRefusedWithoutEchoingThem() {
        #expect(throws: PostgresLocationError.badPort) { try PostgresLocation(url: "postgres://u:secret@h:99999/d", environment: [:]) }
        #expect(throws: PostgresLocationError.badParameter("application_name")) {
            try PostgresLocation(url: "postgres://u@h/d?application_name=x", environment: [:])
        }
        #expect(throws: PostgresLocationError.notAURL) { try PostgresLocation(url: "cache.db", environment: [:]) }
        #expect(!PostgresLocation.isURL("semcache.db") && PostgresLocation.isURL("postgresql://h/d"))
    }
}
