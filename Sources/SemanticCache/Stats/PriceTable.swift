import Foundation

/// What a model costs per million tokens, in US dollars.
public struct ModelPrice: Sendable, Equatable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double
    /// When this price was read from the provider's price list (free text, e.g. `2026-03`); nil
    /// when the table's own date applies.
    public var asOf: String?

    public init(inputPerMillion: Double, outputPerMillion: Double, asOf: String? = nil) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.asOf = asOf
    }

    /// The price of `promptTokens` input and `completionTokens` output tokens.
    public func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * inputPerMillion + Double(completionTokens) * outputPerMillion) / 1_000_000
    }
}

/// Prices per model, to turn tokens served from the cache into money saved.
///
/// A model name uses its own row when the table has one; otherwise the longest row it extends by
/// a snapshot suffix only — a date (`-2024-07-18`, `-20241022`, `@20241022`), a four-digit
/// snapshot (`-0125`) or `-latest`: `gpt-4o-mini-2024-07-18` uses `gpt-4o-mini`,
/// `claude-3-5-haiku@20241022` uses `claude-3-5-haiku`. Any other extension is another model with
/// another price (`gpt-3.5-turbo-instruct` is not `gpt-3.5-turbo`, `gpt-4o-audio-preview` not
/// `gpt-4o`), so it has no price rather than a guess. Models without a price save tokens and time
/// but no money.
public struct PriceTable: Sendable, Equatable {
    /// When the prices were taken from the providers' price lists (free text, e.g. `2026-03`).
    public var asOf: String
    public var prices: [String: ModelPrice]

    public init(asOf: String, prices: [String: ModelPrice]) {
        self.asOf = asOf
        self.prices = prices
    }

    /// Parses the JSON format of `--prices FILE`:
    /// `{"as_of": "2026-03", "models": {"gpt-4o": {"input": 2.5, "output": 10, "as_of": "2026-03"}}}`
    /// (USD per 1M tokens; a row's `as_of` is optional).
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
            prices[name] = ModelPrice(inputPerMillion: input, outputPerMillion: output, asOf: value["as_of"]?.string)
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

    /// The price of `model`: its own row, else the longest row it extends by a snapshot suffix
    /// (see the type's documentation), else nil.
    public func price(for model: String) -> ModelPrice? {
        if let exact = prices[model] { return exact }
        var best: (name: String, price: ModelPrice)?
        for (name, price) in prices where name.count > (best?.name.count ?? 0) && model.hasPrefix(name)
            && Self.isSnapshotSuffix(model.dropFirst(name.count)) {
            best = (name, price)
        }
        return best?.price
    }

    /// Whether `rest` names a snapshot of the same model: `-latest`, or a separator (`-`, `@`)
    /// and a date or snapshot number (`2024-07-18`, `20241022`, `0125`).
    static func isSnapshotSuffix(_ rest: Substring) -> Bool {
        guard let separator = rest.first, separator == "-" || separator == "@" else { return false }
        let tail = rest.dropFirst()
        if tail == "latest" { return true }
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        switch tail.count {
        case 4, 8:
            return tail.allSatisfy(isDigit)
        case 10:
            let parts = tail.split(separator: "-", omittingEmptySubsequences: false)
            return parts.map(\.count) == [4, 2, 2] && parts.allSatisfy { $0.allSatisfy(isDigit) }
        default:
            return false
        }
    }

    /// The table as JSON in the `--prices` format, names sorted.
    public var json: JSONValue {
        .object([
            (key: "as_of", value: .string(asOf)),
            (key: "currency", value: "USD per 1M tokens"),
            (key: "models", value: .object(prices.sorted { $0.key < $1.key }.map { name, price in
                var row: [(key: String, value: JSONValue)] = [
                    (key: "input", value: .real(price.inputPerMillion)),
                    (key: "output", value: .real(price.outputPerMillion)),
                ]
                if let asOf = price.asOf { row.append((key: "as_of", value: .string(asOf))) }
                return (key: name, value: .object(row))
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
