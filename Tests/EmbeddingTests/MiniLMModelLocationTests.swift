import Foundation
import Testing
import Embedding

@Suite struct MiniLMModelLocationTests {
    static let binary = URL(fileURLWithPath: "/src/semcache/.build/x86_64-unknown-linux-gnu/release/semcache")

    @Test func theUserDataDirectoryComesFirstThenTheBinaryThenItsCheckout() {
        let location = MiniLMModelLocation(
            explicit: nil, environment: ["HOME": "/home/me"], executable: Self.binary, isCheckout: { $0.path == "/src/semcache" })
        #expect(location.candidates.map(\.path) == [
            "/home/me/.local/share/semcache/models/all-MiniLM-L6-v2",
            "/src/semcache/.build/x86_64-unknown-linux-gnu/release/models/all-MiniLM-L6-v2",
            "/src/semcache/models/all-MiniLM-L6-v2",
        ])
        #expect(location.found { $0.path.hasPrefix("/src/semcache/models") }?.path == "/src/semcache/models/all-MiniLM-L6-v2")
        #expect(location.notFoundMessage.contains("/home/me/.local/share/semcache/models/all-MiniLM-L6-v2, /src/semcache/.build"))
        #expect(location.notFoundMessage.contains("run `make model`"))
    }

    @Test func xdgDataHomeWinsOverHomeAndAnExplicitDirectoryIsTheOnlyPlace() {
        let xdg = MiniLMModelLocation(explicit: nil, environment: ["HOME": "/home/me", "XDG_DATA_HOME": "/data"], executable: nil)
        #expect(xdg.candidates.map(\.path) == ["/data/semcache/models/all-MiniLM-L6-v2"])
        let relative = MiniLMModelLocation(explicit: nil, environment: ["HOME": "/home/me", "XDG_DATA_HOME": "data"], executable: nil)
        #expect(relative.candidates.map(\.path) == ["/home/me/.local/share/semcache/models/all-MiniLM-L6-v2"])
        let explicit = MiniLMModelLocation(explicit: "/models/minilm", environment: ["HOME": "/home/me"], executable: Self.binary)
        #expect(explicit.candidates.map(\.path) == ["/models/minilm"])
        #expect(explicit.found { _ in false } == nil)
        #expect(explicit.notFoundMessage.contains("in /models/minilm; fetch it with `make model MODEL_DIR=/models/minilm`"))
    }
}
