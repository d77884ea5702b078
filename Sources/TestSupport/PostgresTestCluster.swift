import Foundation

/// A private PostgreSQL 15 cluster for tests: `initdb` in a temporary directory, `postgres` on a
/// free loopback port, run as `nobody` when the tests run as root (PostgreSQL refuses root).
/// Use ``withCluster(_:)``, which always stops and removes it, even when the body throws.
public final class PostgresTestCluster: Sendable {
    /// The loopback port it listens on.
    public let port: Int
    /// The superuser (trust authentication, no password).
    public let user = "postgres"
    let directory: URL

    /// Where Debian's `postgresql-15` puts the server binaries.
    static let binaries = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin")

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    /// Starts a cluster, runs `body` with it, and stops and removes it whatever happens.
    public static func withCluster<Result>(_ body: (PostgresTestCluster) async throws -> Result) async throws -> Result {
        let cluster = try create()
        do {
            try cluster.start()
            let result = try await body(cluster)
            cluster.destroy()
            return result
        } catch {
            cluster.destroy()
            throw error
        }
    }

    /// A `postgres://` URL for `database` (created with ``createDatabase(_:)``).
    public func url(database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Creates a database named `name`.
    public func createDatabase(_ name: String) throws {
        try Self.run(Self.binaries.appendingPathComponent("createdb"), ["-h", "127.0.0.1", "-p", "\(port)", "-U", user, name], asServerUser: false)
    }

    /// Creates a database with a fresh unique name and returns its URL.
    public func freshDatabaseURL() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try createDatabase(name)
        return url(database: name)
    }

    /// Starts the server (again, after ``stop()``), waiting until it accepts connections. Tries
    /// three times: right after an immediate stop the old server's children may still hold the port.
    public func start() throws {
        var attempt = 0
        while true {
            do {
                try Self.run(Self.binaries.appendingPathComponent("pg_ctl"), [
                    "-D", directory.appendingPathComponent("data").path, "-l", directory.appendingPathComponent("server.log").path,
                    "-w", "-t", "30",
                    "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                    "start",
                ])
                return
            } catch {
                attempt += 1
                guard attempt < 3 else {
                    let log = (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
                    throw ClusterError("\(error)\n\(log.suffix(2000))")
                }
                usleep(500_000)
            }
        }
    }

    /// Stops the server at once (`-m immediate`: like a crash, no checkpoint).
    public func stop() throws {
        try Self.run(Self.binaries.appendingPathComponent("pg_ctl"), [
            "-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop",
        ])
    }

    private func destroy() {
        try? stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func create() throws -> PostgresTestCluster {
        guard FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent("initdb").path) else {
            throw ClusterError("PostgreSQL 15 is not installed (no \(binaries.path)/initdb); `make deps` installs postgresql-15")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            try run(URL(fileURLWithPath: "/bin/chown"), ["nobody:nogroup", directory.path], asServerUser: false)
        }
        let cluster = PostgresTestCluster(port: try freeLoopbackPort(), directory: directory)
        do {
            try run(binaries.appendingPathComponent("initdb"), [
                "-D", directory.appendingPathComponent("data").path, "-U", cluster.user, "-A", "trust", "-E", "UTF8", "--no-sync",
            ])
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        return cluster
    }

    /// Runs a PostgreSQL program, as `nobody` when this process is root and `asServerUser`, and
    /// waits for it. `posix_spawn` and `waitpid`, not `Process`: the server that `pg_ctl start`
    /// leaves running inherits the child's descriptors, and `Process` did not see such a child end.
    private static func run(_ program: URL, _ arguments: [String], asServerUser: Bool = true) throws {
        // In /tmp: the server user may not be allowed into the test's directory.
        let command = ["/usr/bin/env", "-C", "/tmp", program.path] + arguments
        let argv = asServerUser && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "nobody", "--"] + command : command
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("semcache-pg-output-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = ProcessLaunch.spawning { posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ) }
        guard spawned == 0 else { throw ClusterError("cannot start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitedCleanly = status & 0x7f == 0 && (status >> 8) & 0xff == 0
        guard exitedCleanly else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw ClusterError("\(program.lastPathComponent) \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }

    /// A port the kernel just handed out on 127.0.0.1 (bound and released).
    private static func freeLoopbackPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ClusterError("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
            }
        }
        guard bound else { throw ClusterError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the test cluster could not be set up.
public struct ClusterError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
