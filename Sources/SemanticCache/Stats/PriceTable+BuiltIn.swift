extension PriceTable {
    /// List prices in USD per 1M tokens (standard tier, no batch, cached-input or long-context
    /// rates), each with the month of the newest price list it was checked against. Where they
    /// came from is in the README ("Prices"). Models not listed have no price; add them, or
    /// replace the table, with `--prices FILE`.
    public static let builtIn: PriceTable = {
        let table: [(name: String, input: Double, output: Double, asOf: String)] = [
            // OpenAI: GPT-5 family.
            ("gpt-5.4", 2.50, 15.00, "2026-03"),
            ("gpt-5.2", 1.75, 14.00, "2026-03"),
            ("gpt-5.1", 1.25, 10.00, "2026-03"),
            ("gpt-5", 1.25, 10.00, "2026-03"),
            ("gpt-5-mini", 0.25, 2.00, "2026-03"),
            ("gpt-5-nano", 0.05, 0.40, "2026-03"),
            ("gpt-5-pro", 15.00, 120.00, "2026-03"),
            // OpenAI: GPT-4.1, GPT-4o and older chat models.
            ("gpt-4.1", 2.00, 8.00, "2026-03"),
            ("gpt-4.1-mini", 0.40, 1.60, "2026-03"),
            ("gpt-4.1-nano", 0.10, 0.40, "2026-03"),
            ("gpt-4o", 2.50, 10.00, "2026-03"),
            ("gpt-4o-mini", 0.15, 0.60, "2026-03"),
            ("gpt-4-turbo", 10.00, 30.00, "2025-06"),
            ("gpt-3.5-turbo", 0.50, 1.50, "2025-06"),
            ("gpt-3.5-turbo-instruct", 1.50, 2.00, "2024-03"),
            // OpenAI: o-series reasoning models.
            ("o1", 15.00, 60.00, "2026-03"),
            ("o1-mini", 1.10, 4.40, "2025-06"),
            ("o1-pro", 150.00, 600.00, "2026-03"),
            ("o3", 2.00, 8.00, "2026-03"),
            ("o3-mini", 1.10, 4.40, "2026-03"),
            ("o3-pro", 20.00, 80.00, "2026-03"),
            ("o4-mini", 1.10, 4.40, "2026-03"),
            // OpenAI: embeddings.
            ("text-embedding-3-small", 0.02, 0, "2025-06"),
            ("text-embedding-3-large", 0.13, 0, "2025-06"),
            ("text-embedding-ada-002", 0.10, 0, "2025-06"),
            // Anthropic: Claude 4.x (`-0` aliases name the first 4 releases).
            ("claude-opus-4-7", 5.00, 25.00, "2026-10"),
            ("claude-opus-4-6", 5.00, 25.00, "2026-10"),
            ("claude-opus-4-5", 5.00, 25.00, "2026-10"),
            ("claude-opus-4-1", 15.00, 75.00, "2026-10"),
            ("claude-opus-4", 15.00, 75.00, "2026-10"),
            ("claude-opus-4-0", 15.00, 75.00, "2026-10"),
            ("claude-sonnet-4-5", 3.00, 15.00, "2026-10"),
            ("claude-sonnet-4", 3.00, 15.00, "2026-10"),
            ("claude-sonnet-4-0", 3.00, 15.00, "2026-10"),
            ("claude-haiku-4-5", 1.00, 5.00, "2026-10"),
            // Anthropic: Claude 3.x.
            ("claude-3-7-sonnet", 3.00, 15.00, "2026-10"),
            ("claude-3-5-sonnet", 3.00, 15.00, "2026-10"),
            ("claude-3-5-haiku", 0.80, 4.00, "2026-10"),
            ("claude-3-opus", 15.00, 75.00, "2026-10"),
            ("claude-3-haiku", 0.25, 1.25, "2026-10"),
        ]
        var prices: [String: ModelPrice] = [:]
        for row in table { prices[row.name] = ModelPrice(inputPerMillion: row.input, outputPerMillion: row.output, asOf: row.asOf) }
        return PriceTable(asOf: "2026-10", prices: prices)
    }()
}
