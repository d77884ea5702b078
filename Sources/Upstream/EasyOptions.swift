import CCurl

/// Typed `curl_easy_setopt` calls that turn a refused option into an ``UpstreamError``.
struct EasyOptions {
    let easy: UnsafeMutableRawPointer
    let origin: String

    func set(_ option: CURLoption, _ value: Int) throws(UpstreamError) {
        try check(semcache_easy_setopt_long(easy, option, value), option)
    }

    /// For `curl_off_t` options (`*_LARGE`); distinct from `long` options even where both are 64 bits.
    func set(_ option: CURLoption, offset value: curl_off_t) throws(UpstreamError) {
        try check(semcache_easy_setopt_off_t(easy, option, value), option)
    }

    /// libcurl copies string options, so the temporary C string may go away after the call.
    func set(_ option: CURLoption, _ value: String) throws(UpstreamError) {
        let code = value.withCString { semcache_easy_setopt_string(easy, option, $0) }
        try check(code, option)
    }

    func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) throws(UpstreamError) {
        try check(semcache_easy_setopt_pointer(easy, option, value), option)
    }

    func set(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) throws(UpstreamError) {
        try check(semcache_easy_setopt_slist(easy, option, value), option)
    }

    func setCallback(_ option: CURLoption, _ callback: semcache_curl_data_callback) throws(UpstreamError) {
        try check(semcache_easy_setopt_data_callback(easy, option, callback), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(UpstreamError) {
        guard code != CURLE_OK else { return }
        let cause = "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))"
        throw code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_BAD_FUNCTION_ARGUMENT
            ? .invalidRequest(origin, cause: cause) : .transferFailed(origin, cause: cause)
    }
}
