import ArgumentParser
import SemanticCache

/// Verified hits and the false-hit bound of `semcache serve` (README: "Verified hits").
struct VerificationOptions: ParsableArguments {
    @Option(help: "Share of semantic hits also sent upstream in the background, after they were answered, to check the served answer, 0…1 (SEMCACHE_VERIFY_RATE). Default 0 (off).")
    var verifyRate: Double?

    @Option(help: "Share of exact hits checked the same way; a stale entry is replaced by the fresh answer, 0…1 (SEMCACHE_VERIFY_EXACT_RATE). Default 0.")
    var verifyExactRate: Double?

    @Option(help: "Most verification calls upstream per minute, e.g. 30 or 30/min (SEMCACHE_VERIFY_BUDGET); sampled hits beyond it are skipped and counted. Default 30/min.")
    var verifyBudget: String?

    @Option(help: "Keep each context's estimated false-hit rate (95% upper bound) at most this, 0…1, by learning its threshold from verdicts, no lower than --threshold (SEMCACHE_MAX_FALSE_HIT_RATE). Default: no bound, the hit rule decides.")
    var maxFalseHitRate: Double?

    /// The settings these options (or their variables) give.
    func settings() throws -> VerificationSettings {
        var settings = VerificationSettings()
        func rate(_ value: Double?, _ variable: String, _ flag: String) throws -> Double? {
            guard let value = value ?? Environment.value(variable).flatMap(Double.init) else { return nil }
            guard (0...1).contains(value) else { throw ValidationError("\(flag) must be between 0 and 1, got \(value)") }
            return value
        }
        settings.semanticRate = try rate(verifyRate, "SEMCACHE_VERIFY_RATE", "--verify-rate") ?? 0
        settings.exactRate = try rate(verifyExactRate, "SEMCACHE_VERIFY_EXACT_RATE", "--verify-exact-rate") ?? 0
        settings.maxFalseHitRate = try rate(maxFalseHitRate, "SEMCACHE_MAX_FALSE_HIT_RATE", "--max-false-hit-rate")
        if let text = verifyBudget ?? Environment.value("SEMCACHE_VERIFY_BUDGET") {
            let number = text.hasSuffix("/min") ? String(text.dropLast(4)) : text
            guard let budget = Int(number), budget >= 0 else {
                throw ValidationError("--verify-budget must be a number of calls per minute such as 30 or 30/min, got \(text)")
            }
            settings.budgetPerMinute = budget
        }
        return settings
    }

    /// The start-up line's summary.
    static func summary(_ settings: VerificationSettings) -> String {
        guard settings.isEnabled else { return "off" }
        let bound = settings.maxFalseHitRate.map { "thresholds learnt to keep false hits ≤ \($0) (95% bound)" } ?? "no false-hit bound"
        return "semantic hits \(settings.semanticRate), exact hits \(settings.exactRate), at most \(settings.budgetPerMinute) calls/min; \(bound)"
    }
}
