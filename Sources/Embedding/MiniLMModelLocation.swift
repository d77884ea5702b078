import Foundation

/// Where `semcache` looks for the all-MiniLM-L6-v2 files when `--model-dir` is not given, in order:
/// the per-user data directory `make model` fills (`$XDG_DATA_HOME/semcache/models/all-MiniLM-L6-v2`,
/// `~/.local/share/…` when the variable is unset), `models/all-MiniLM-L6-v2` next to the binary,
/// then the `models/` directory of the source checkout the binary was built in. The working
/// directory plays no part, so the sidecar finds the model wherever it is started from.
public struct MiniLMModelLocation: Sendable {
    /// The files a model directory must hold.
    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors"]
    static let modelName = "all-MiniLM-L6-v2"
    /// How many directories above the binary's a source checkout is looked for (`.build/<triple>/<config>/semcache`).
    static let checkoutDepth = 4

    /// The directories looked at, in order.
    public let candidates: [URL]
    /// Whether the directory was named (`--model-dir`) rather than searched for.
    public let isExplicit: Bool

    /// The places to look: only `explicit` when one is given (`--model-dir`), otherwise the
    /// standard ones for this user (`environment`) and this binary (`executable`).
    /// `isCheckout` says whether a directory is a source checkout (it holds `Package.swift`).
    public init(
        explicit: String?, environment: [String: String], executable: URL?,
        isCheckout: (URL) -> Bool = { FileManager.default.fileExists(atPath: $0.appendingPathComponent("Package.swift").path) }
    ) {
        isExplicit = explicit != nil
        if let explicit {
            candidates = [URL(fileURLWithPath: explicit)]
            return
        }
        var places: [URL] = []
        if let data = environment["XDG_DATA_HOME"].flatMap({ $0.hasPrefix("/") ? $0 : nil }) {
            places.append(URL(fileURLWithPath: data))
        } else if let home = environment["HOME"], !home.isEmpty {
            places.append(URL(fileURLWithPath: home).appendingPathComponent(".local/share"))
        }
        places = places.map { $0.appendingPathComponent("semcache/models/\(Self.modelName)") }
        if let binaryDirectory = executable?.deletingLastPathComponent() {
            places.append(binaryDirectory.appendingPathComponent("models/\(Self.modelName)"))
            var ancestor = binaryDirectory
            for _ in 0..<Self.checkoutDepth {
                ancestor = ancestor.deletingLastPathComponent()
                if isCheckout(ancestor) {
                    places.append(ancestor.appendingPathComponent("models/\(Self.modelName)"))
                    break
                }
            }
        }
        candidates = places.map(\.standardizedFileURL)
    }

    /// The first candidate that holds every required file.
    public func found(isComplete: (URL) -> Bool = MiniLMModelLocation.isComplete) -> URL? {
        candidates.first(where: isComplete)
    }

    /// Whether `directory` holds every file in ``requiredFiles``.
    public static func isComplete(_ directory: URL) -> Bool {
        requiredFiles.allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// What to tell the user when no candidate holds the model: where it looked and how to fix it.
    public var notFoundMessage: String {
        let missing = "no all-MiniLM-L6-v2 model (\(Self.requiredFiles.joined(separator: ", "))) in "
        guard !isExplicit, let standard = candidates.first else {
            let directory = candidates.first?.path ?? ""
            return missing + directory + "; fetch it with `make model MODEL_DIR=\(directory)`, or pass another --model-dir"
        }
        return missing + candidates.map(\.path).joined(separator: ", ")
            + "; run `make model` in the semcache checkout (it fills \(standard.path)), or pass --model-dir DIR"
    }
}
