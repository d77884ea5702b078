import CCurl

/// One request in flight: its easy handle, the buffers libcurl writes into, and the response being parsed.
///
/// Confined to the loop thread: created, configured, called back and released only there.
final class Transfer {
    let id: UInt64
    let origin: String
    let timeouts: UpstreamTimeouts
    let channel: ResponseChannel
    let easy: UnsafeMutableRawPointer
    let startedAt: ContinuousClock.Instant

    /// When the request was handed to the connection (`CURLINFO_PRETRANSFER_TIME_T`), once known.
    var requestSentAt: ContinuousClock.Instant?
    private(set) var firstByteAt: ContinuousClock.Instant?
    private(set) var lastActivityAt: ContinuousClock.Instant
    /// Paused because the consumer's buffer is full; idle time does not count meanwhile.
    private(set) var isPaused = false

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let body: UnsafeMutableRawBufferPointer
    private var head = ResponseHeadParser()

    init(_ pending: PendingTransfer, easy: UnsafeMutableRawPointer) {
        id = pending.id
        origin = pending.origin
        timeouts = pending.timeouts
        channel = pending.channel
        self.easy = easy
        startedAt = .now
        lastActivityAt = startedAt
        errorBuffer = .allocate(capacity: Int(semcache_curl_error_size))
        errorBuffer.initialize(repeating: 0, count: Int(semcache_curl_error_size))
        body = .allocate(byteCount: max(pending.request.body.count, 1), alignment: 1)
        body.copyBytes(from: pending.request.body)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
        body.deallocate()
    }

    /// Sets every option of the easy handle; the transfer must stay alive while the handle is in use.
    func configure(_ request: UpstreamRequest, _ configuration: UpstreamClient.Configuration) throws(UpstreamError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let options = EasyOptions(easy: easy, origin: origin)
        try options.set(CURLOPT_PRIVATE, context)
        try options.set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        try options.set(CURLOPT_URL, request.url)
        try options.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try options.set(CURLOPT_NOSIGNAL, 1)
        try options.set(CURLOPT_TCP_NODELAY, 1)
        try options.set(CURLOPT_TCP_KEEPALIVE, 1)
        try options.set(CURLOPT_CONNECTTIMEOUT_MS, Int(timeouts.connect.milliseconds))
        try options.set(CURLOPT_FOLLOWLOCATION, 0)
        try options.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        try options.set(CURLOPT_VERBOSE, configuration.verbose ? 1 : 0)
        if let userAgent = configuration.userAgent { try options.set(CURLOPT_USERAGENT, userAgent) }
        try options.setCallback(CURLOPT_HEADERFUNCTION, receiveHeaderCallback)
        try options.set(CURLOPT_HEADERDATA, context)
        try options.setCallback(CURLOPT_WRITEFUNCTION, receiveBodyCallback)
        try options.set(CURLOPT_WRITEDATA, context)
        let sendsBody = try configureMethod(request, options)
        headerList = try RequestHeaderList.make(request.headers, sendsBody: sendsBody, origin: origin)
        try options.set(CURLOPT_HTTPHEADER, headerList)
    }

    /// Chooses how libcurl sends the method and body; returns whether a body is sent.
    private func configureMethod(_ request: UpstreamRequest, _ options: EasyOptions) throws(UpstreamError) -> Bool {
        let method = request.method.uppercased()
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            try options.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: curl_off_t(request.body.count))
            try options.set(CURLOPT_POSTFIELDS, body.baseAddress)
            if method != "POST" { try options.set(CURLOPT_CUSTOMREQUEST, request.method) }
            return true
        }
        switch method {
        case "GET": try options.set(CURLOPT_HTTPGET, 1)
        case "HEAD": try options.set(CURLOPT_NOBODY, 1)
        default: try options.set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        return false
    }

    // MARK: Callbacks (loop thread, inside curl_multi_perform)

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        let now = ContinuousClock.now
        if firstByteAt == nil { firstByteAt = now }
        lastActivityAt = now
        if let (status, headers) = head.consume(line) {
            channel.deliverHead(status: status, headers: headers)
        }
    }

    /// Returns `false` when the consumer's buffer is full and the bytes must be offered again later.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lastActivityAt = .now
        if let (status, headers) = head.finishEarly(responseCode: responseCode) {
            channel.deliverHead(status: status, headers: headers)
        }
        guard channel.deliverBody(bytes) else {
            isPaused = true
            return false
        }
        return true
    }

    // MARK: Loop control

    /// Resumes a transfer paused for backpressure; libcurl may deliver the held bytes right away.
    func resume() {
        guard isPaused else { return }
        isPaused = false
        lastActivityAt = .now
        curl_easy_pause(easy, semcache_curlpause_cont)
    }

    /// Called once the transfer completed: delivers a head that had no blank line (HTTP/0.9, empty reply)
    /// and ends the stream.
    func complete(_ result: CURLcode) {
        guard result == CURLE_OK else {
            channel.finish(UpstreamError.fromCurl(result, detail: errorMessage, origin: origin, timeouts: timeouts))
            return
        }
        if let (status, headers) = head.finishEarly(responseCode: responseCode) {
            channel.deliverHead(status: status, headers: headers)
        }
        channel.finish(nil)
    }

    private var responseCode: Int {
        var code = 0
        semcache_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private var errorMessage: String {
        String(cString: errorBuffer).trimmingSuffix(while: { $0 == "\n" })
    }
}

private func receiveHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private func receiveBodyCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let accepted = transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
    return accepted ? size * count : semcache_curl_writefunc_pause
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

extension String {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var result = self
        while let last = result.last, predicate(last) { result.removeLast() }
        return result
    }
}
