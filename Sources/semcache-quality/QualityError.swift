/// A failure of the quality benchmark, with a message that says what to do.
struct QualityError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
