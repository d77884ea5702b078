import Foundation

/// What a model costs per million tokens, in US dollars.
public struct ModelPrice: Sendable, Equatable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double

    public init(inputPerMillion: Double, outputPerMillion: Double) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// The price of `promptTokens` input and `completionTokens` output tokens.
    public func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * inputPerMillion + Double(completionTokens) * outputPerMillion) / 1_000_000
    }
}

/// Prices per model, to turn tokens served from the cache into money saved.
///
/// A model name matches the longest table name it starts with, when the rest begins with `-`, `:` or `@`:
/// `gpt-4o-mini-2024-07-18` uses `gpt-4o-mini`, `claude-3-5-haiku@20241022` uses `claude-3-5-haiku`; `gpt-4o` does not
/// match `gpt-4`. Models without a price save tokens and time but no money.
public struct PriceTable: Sendable, Equatable {
    /// When the prices were taken from the providers' price lists (free text, e.g. `2025-06`).
    public var asOf: String
    public var prices: [String: ModelPrice]

    public init(asOf: String, prices: [String: ModelPrice]) {
        self.asOf = asOf
        self.prices = prices
    }

    /// Parses the JSON format of `--prices FILE`:
    /// `{"as_of": "2025-06", "models": {"gpt-4o": {"input": 2.5, "output": 10}}}` (USD per 1M tokens).
    public init(json bytes: [UInt8], source: String) throws(PriceTableError) {
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch { throw .invalid(source: source, reason: "not JSON (\(error))") }
        guard let models = root["models"]?.object else {
            throw .invalid(source: source, reason: #"needs an object "models": {"MODEL": {"input": USD per 1M tokens, "output": USD per 1M tokens}}"#)
        }
        var prices: [String: ModelPrice] = [:]
        for (name, value) in models {
            guard !name.isEmpty else { throw .invalid(source: source, reason: "a model name is empty") }
            guard let input = value["input"]?.double, let output = value["output"]?.double,
                  input >= 0, output >= 0
            else {
                throw .invalid(source: source, reason: #"model "\#(name)" needs "input" and "output" prices ≥ 0 (USD per 1M tokens)"#)
            }
            prices[name] = ModelPrice(inputPerMillion: input, outputPerMillion: output)
        }
        self.init(asOf: root["as_of"]?.string ?? "unknown", prices: prices)
    }

    /// Reads and validates a price file.
    public static func load(path: String) throws(PriceTableError) -> PriceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path)
        }
        return try PriceTable(json: Array(data), source: path)
    }

    /// The price of `model`: its own entry, else the longest entry it extends (see the type's documentation).
    public func price(for model: String) -> ModelPrice? {
        if let exact = prices[model] { return exact }
        var best: (name: String, price: ModelPrice)?
        for (name, price) in prices where model.hasPrefix(name) && name.count > (best?.name.count ?? 0) {
            let rest = model.dropFirst(name.count)
            guard let separator = rest.first, "-:@".contains(separator) else { continue }
            best = (name, price)
        }
        return best?.price
    }

    /// The table as JSON in the `--prices` format, names sorted.
    public var json: JSONValue {
        .object([
            (key: "as_of", value: .string(asOf)),
            (key: "currency", value: "USD per 1M tokens"),
            (key: "models", value: .object(prices.sorted { $0.key < $1.key }.map { name, price in
                (key: name, value: .object([
                    (key: "input", value: .real(price.inputPerMillion)),
                    (key: "output", value: .real(price.outputPerMillion)),
                ]))
            })),
        ])
    }
}

/// A price file that cannot be used.
public struct PriceTableError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case unreadable(path: String)
        case invalid(source: String, reason: String)
    }

    private let kind: Kind

    static func unreadable(path: String) -> PriceTableError { PriceTableError(kind: .unreadable(path: path)) }
    static func invalid(source: String, reason: String) -> PriceTableError { PriceTableError(kind: .invalid(source: source, reason: reason)) }

    public var description: String {
        switch kind {
        case .unreadable(let path):
            return "cannot read the price file \(path) (check the path; `semcache prices` prints the built-in table to start from)"
        case .invalid(let source, let reason):
            return "the price file \(source) is invalid: \(reason)"
        }
    }
}

extension JSONValue {
    /// An integer number.
    static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// A number, written as an integer when it is one (0 for NaN and infinities).
    static func real(_ value: Double) -> JSONValue {
        if value == value.rounded(), abs(value) < 1e15 { return .integer(Int(value)) }
        return .number(JSONNumber(value) ?? JSONNumber(0))
    }
}
