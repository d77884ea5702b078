/// A command that was invoked correctly but could not do its work (a file it cannot read, a
/// sidecar that does not answer, a store it cannot open).
///
/// swift-argument-parser prints it as one `Error: …` line on standard error and exits 1. Wrong
/// invocations throw `ValidationError` instead, which prints the usage text and exits 64.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
