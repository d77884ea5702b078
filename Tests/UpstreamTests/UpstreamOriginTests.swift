import Testing
@testable import Upstream

struct UpstreamOriginTests {
    @Test(arguments: [
        ("https://user:secret@api.example.com/v1/chat?key=abc", "https://api.example.com:443"),
        ("http://127.0.0.1:8080/v1/models", "http://127.0.0.1:8080"),
        ("HTTP://Example.com?x=1", "http://Example.com:80"),
        ("http://[::1]/path", "http://[::1]:80"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ])
    func originKeepsSchemeHostAndPortOnly(url: String, origin: String) {
        #expect(UpstreamOrigin.of(url) == origin)
    }
}
