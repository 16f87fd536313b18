import CCurl

#if canImport(Glibc)
import Glibc
#endif

/// Sends one email through an SMTP server with libcurl.
///
/// `smtps://` connects with TLS; `smtp://` upgrades with STARTTLS, required when `requireTLS`
/// (credentials never travel in clear then). The message is the complete RFC 5322 text.
public struct CurlSMTP: Sendable {
    public var timeout: Duration
    public var tls: TLSSettings
    /// `host:port:address` entries (CURLOPT_RESOLVE): connect only to addresses checked beforehand.
    public var resolve: [String] = []

    public init(timeout: Duration = .seconds(30), tls: TLSSettings = TLSSettings()) {
        self.timeout = timeout
        self.tls = tls
    }

    public func send(
        url: String, username: String?, password: String?, from: String, to recipients: [String], message: [UInt8], requireTLS: Bool
    ) async throws {
        try await BlockingThread.run {
            try perform(url: url, username: username, password: password, from: from, to: recipients, message: message, requireTLS: requireTLS)
        }
    }

    private final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    private func perform(
        url: String, username: String?, password: String?, from: String, to recipients: [String], message: [UInt8], requireTLS: Bool
    ) throws {
        for address in [from] + recipients { try HeaderLine.refuseLineBreaks(address, label: "an address") }
        _ = CurlClient.globalInit
        guard let handle = curl_easy_init() else { throw TransportError(description: "libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        let upload = Upload(message)
        let context = Unmanaged.passRetained(upload)
        defer { context.release() }
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }

        var resolveList: UnsafeMutablePointer<curl_slist>?
        for entry in resolve { resolveList = curl_slist_append(resolveList, entry) }
        defer { curl_slist_free_all(resolveList) }
        if resolveList != nil { pulse_curl_set_slist(handle, CURLOPT_RESOLVE, resolveList) }
        pulse_curl_set_string(handle, CURLOPT_URL, url)
        pulse_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        pulse_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        pulse_curl_set_long(handle, CURLOPT_TIMEOUT_MS, timeout.wholeMilliseconds)
        pulse_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
        pulse_curl_set_slist(handle, CURLOPT_MAIL_RCPT, list)
        if let username, !username.isEmpty { pulse_curl_set_string(handle, CURLOPT_USERNAME, username) }
        if let password, !password.isEmpty { pulse_curl_set_string(handle, CURLOPT_PASSWORD, password) }
        if requireTLS { pulse_curl_set_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if tls.insecure {
            pulse_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            pulse_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let ca = tls.caCertificateFile { pulse_curl_set_string(handle, CURLOPT_CAINFO, ca) }
        pulse_curl_set_long(handle, CURLOPT_UPLOAD, 1)
        pulse_curl_set_read_callback(handle) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let upload = Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue()
            let length = min(size * count, upload.bytes.count - upload.offset)
            guard length > 0 else { return 0 }
            upload.bytes.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
            }
            upload.offset += length
            return length
        }
        pulse_curl_set_pointer(handle, CURLOPT_READDATA, context.toOpaque())
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else { throw TransportError(description: "SMTP: \(String(cString: curl_easy_strerror(code)))") }
    }
}
