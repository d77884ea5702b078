import NIOCore
import NIOHTTP1
import SemanticCache

/// A complete HTTP/1.1 response as the bytes NIO's encoder would write for it (status line, the
/// headers as given, `content-length`, the body), in one buffer: one write, one system call.
enum ResponseBytes {
    /// Appends `response` to `buffer`; false, with `buffer` untouched, when a header could not be
    /// sent as it is (a name that is not a token, a value with CR, LF or NUL): NIO's header
    /// validation must then refuse it as it refuses any other), or the status is one whose framing
    /// NIO's encoder adjusts (1xx, 204, 304).
    static func write(_ response: CompleteResponse, to buffer: inout ByteBuffer) -> Bool {
        guard response.status >= 200, response.status != 204, response.status != 304,
              response.headers.allSatisfy({ isSendable(name: $0.name, value: $0.value) })
        else { return false }
        let status = HTTPResponseStatus(statusCode: response.status)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for header in response.headers {
            buffer.writeString(header.name)
            buffer.writeStaticString(": ")
            buffer.writeString(header.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("content-length: ")
        buffer.writeString(String(response.body.count))
        buffer.writeStaticString("\r\n\r\n")
        buffer.writeBytes(response.body)
        return true
    }

    private static func isSendable(name: String, value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
            && !value.utf8.contains { $0 == 0 || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
    }
}
