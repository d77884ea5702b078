import ArgumentParser
import Foundation
import SemanticCache

/// Flag values fall back to `SEMCACHE_*` environment variables, then to the documented default.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func flag(_ name: String) -> Bool {
        guard let value = value(name)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }
}

/// A duration given as seconds or with a unit: `90`, `90s`, `30m`, `24h`, `7d`.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let seconds: Int

    init?(argument: String) {
        guard let seconds = DurationText.seconds(argument) else { return nil }
        self.seconds = seconds
    }
}
