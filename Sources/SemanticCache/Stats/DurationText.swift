import Foundation

/// Durations written as seconds or with a unit: `90`, `90s`, `30m`, `24h`, `7d`.
public enum DurationText {
    /// The number of seconds, or nil when the text is not such a duration.
    public static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var multiplier = 1
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard let value = Int(digits), value >= 0 else { return nil }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : seconds
    }
}
