/// Keeps metric labels bounded: the first ``limit`` distinct model names keep their name, later
/// ones (and names longer than 100 characters) are counted as `other`.
struct ModelLabels: Sendable {
    static let limit = 50
    static let other = "other"
    private var seen: Set<String> = []

    mutating func label(for model: String?) -> String {
        guard let model, !model.isEmpty else { return "" }
        if seen.contains(model) { return model }
        guard model.count <= 100, seen.count < Self.limit else { return Self.other }
        seen.insert(model)
        return model
    }
}
