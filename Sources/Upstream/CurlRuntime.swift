import CCurl

/// Process-wide libcurl state.
enum CurlRuntime {
    /// `curl_global_init` runs once, on first use (Swift initialises static lets exactly once, thread-safely).
    private static let globalInitCode: CURLcode = curl_global_init(semcache_curl_global_default)

    static func initialize() throws(UpstreamError) {
        guard globalInitCode == CURLE_OK else {
            throw .setupFailed(cause: "curl_global_init: \(String(cString: curl_easy_strerror(globalInitCode)))")
        }
    }
}

extension UpstreamError {
    /// Maps a finished transfer's libcurl result to an error that names the phase and the cause.
    static func fromCurl(_ code: CURLcode, detail: String, origin: String, timeouts: UpstreamTimeouts) -> UpstreamError {
        let summary = String(cString: curl_easy_strerror(code))
        let cause = detail.isEmpty || detail == summary ? summary : "\(summary) (\(detail))"
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // CURLOPT_CONNECTTIMEOUT_MS is the only limit handed to libcurl; the others are enforced by the loop.
            return .timeout(origin, phase: .connect, limit: timeouts.connect, cause: cause)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
            CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .cannotConnect(origin, cause: cause)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidRequest(origin, cause: cause)
        default:
            return .transferFailed(origin, cause: cause)
        }
    }
}
