/// A request body semcache cannot analyse. The server forwards such a request upstream untouched and
/// returns the upstream's answer (usually a 400 that explains the problem to the caller).
public struct RequestAnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    private let reason: Reason

    private enum Reason: Sendable, Equatable {
        case invalidJSON(JSONParseError)
        case notAnObject
        case missingField(String)
        case wrongType(field: String, expected: String)
        case emptyArray(String)
    }

    static func invalidJSON(_ error: JSONParseError) -> Self { Self(reason: .invalidJSON(error)) }
    static let notAnObject = Self(reason: .notAnObject)
    static func missingField(_ path: String) -> Self { Self(reason: .missingField(path)) }
    static func wrongType(_ path: String, expected: String) -> Self { Self(reason: .wrongType(field: path, expected: expected)) }
    static func emptyArray(_ path: String) -> Self { Self(reason: .emptyArray(path)) }

    public var description: String {
        switch reason {
        case .invalidJSON(let error): "the request body is not valid JSON: \(error)"
        case .notAnObject: "the request body must be a JSON object"
        case .missingField(let path): "the request body has no '\(path)' field, which the API requires"
        case .wrongType(let path, let expected): "'\(path)' in the request body must be \(expected)"
        case .emptyArray(let path): "'\(path)' in the request body must not be empty"
        }
    }
}
