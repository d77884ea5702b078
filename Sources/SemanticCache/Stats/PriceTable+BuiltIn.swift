extension PriceTable {
    /// List prices in USD per 1M tokens (standard tier, no batch or cached-input discounts), taken
    /// from the OpenAI and Anthropic price pages as of June 2025. Replace them with `--prices FILE`.
    public static let builtIn: PriceTable = {
        let table: [(String, Double, Double)] = [
            ("gpt-4o", 2.50, 10.00),
            ("gpt-4o-mini", 0.15, 0.60),
            ("gpt-4.1", 2.00, 8.00),
            ("gpt-4.1-mini", 0.40, 1.60),
            ("gpt-4.1-nano", 0.10, 0.40),
            ("gpt-4-turbo", 10.00, 30.00),
            ("gpt-3.5-turbo", 0.50, 1.50),
            ("o1", 15.00, 60.00),
            ("o1-mini", 1.10, 4.40),
            ("o3", 2.00, 8.00),
            ("o3-mini", 1.10, 4.40),
            ("o4-mini", 1.10, 4.40),
            ("text-embedding-3-small", 0.02, 0),
            ("text-embedding-3-large", 0.13, 0),
            ("text-embedding-ada-002", 0.10, 0),
            ("claude-3-haiku", 0.25, 1.25),
            ("claude-3-5-haiku", 0.80, 4.00),
            ("claude-3-5-sonnet", 3.00, 15.00),
            ("claude-3-7-sonnet", 3.00, 15.00),
            ("claude-sonnet-4", 3.00, 15.00),
            ("claude-3-opus", 15.00, 75.00),
            ("claude-opus-4", 15.00, 75.00),
        ]
        var prices: [String: ModelPrice] = [:]
        for (name, input, output) in table { prices[name] = ModelPrice(inputPerMillion: input, outputPerMillion: output) }
        return PriceTable(asOf: "2025-06", prices: prices)
    }()
}
