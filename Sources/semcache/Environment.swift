import ArgumentParser
import Foundation

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
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var text = Substring(argument.trimmingCharacters(in: .whitespaces))
        var multiplier = 1
        if let last = text.last, let unit = units[last] {
            multiplier = unit
            text = text.dropLast()
        }
        guard let value = Int(text), value >= 0 else { return nil }
        seconds = value * multiplier
    }
}
