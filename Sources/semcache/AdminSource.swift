import ArgumentParser
import Foundation
import SemanticCache
import Store

/// A running sidecar's admin API: `--url` and `--admin-token`, shared by every command that talks to one.
struct SidecarConnection: ParsableArguments {
    @Option(help: "The running sidecar (SEMCACHE_URL). Default http://127.0.0.1:8080.")
    var url: String?

    @Option(help: "Admin token, when the sidecar requires one (SEMCACHE_ADMIN_TOKEN).")
    var adminToken: String?

    var client: AdminClient { AdminClient(url: url, token: adminToken) }
}

/// Where an operator command gets its data: a running sidecar (`--url`, the default) or the
/// database file directly (`--db`, for when no sidecar runs).
struct AdminSource: ParsableArguments {
    @OptionGroup var sidecar: SidecarConnection

    @Option(help: "Read the store directly instead of asking a running sidecar: a SQLite file, or postgres://user@host:port/db.")
    var db: String?

    func validate() throws {
        if sidecar.url != nil, db != nil { throw ValidationError("give either --url (a running sidecar) or --db (the file), not both") }
    }

    var client: AdminClient { AdminClient(url: sidecar.url, token: sidecar.adminToken, canReadFile: true) }

    /// The store opened for reading while sidecars may be running on it (a SQLite file read-only).
    func openReadOnly(_ db: String) async throws -> any CacheStoring {
        try await StoreOption(db).openForReading()
    }
}

/// Number formats shared by the operator commands.
enum Format {
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Dollars; "no price" for nil (a model the price table has no price for).
    static func usd(_ value: Double?) -> String {
        guard let value else { return "no price" }
        switch value {
        case 0: return "$0.00"
        case ..<0.000001: return "<$0.000001"
        case ..<1: return String(format: "$%.6f", value)
        default: return String(format: "$%.2f", value)
        }
    }

    static func percent(_ ratio: Double?) -> String {
        ratio.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    }

    static func bytes(_ value: Int) -> String {
        switch value {
        case ..<1024: return "\(value) B"
        case ..<(1 << 20): return String(format: "%.1f KiB", Double(value) / 1024)
        case ..<(1 << 30): return String(format: "%.1f MiB", Double(value) / 1_048_576)
        default: return String(format: "%.2f GiB", Double(value) / 1_073_741_824)
        }
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value < 1 { return String(format: "%.0f µs", value * 1000) }
        if value < 1000 { return String(format: "%.1f ms", value) }
        return String(format: "%.2f s", value / 1000)
    }

    static func seconds(_ value: Double) -> String {
        switch value {
        case ..<1: return milliseconds(value * 1000)
        case ..<60: return String(format: "%.1f s", value)
        case ..<3600: return String(format: "%.1f min", value / 60)
        default: return String(format: "%.1f h", value / 3600)
        }
    }
}

extension PriceTable {
    /// The price file at `path` (validated, with a clear error), or the built-in table when nil.
    static func load(orBuiltIn path: String?) throws -> PriceTable {
        guard let path else { return .builtIn }
        do throws(PriceTableError) { return try PriceTable.load(path: path) } catch { throw CommandFailure(error.description) }
    }
}
