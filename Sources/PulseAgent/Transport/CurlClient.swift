import CCurl

#if canImport(Glibc)
import Glibc
#endif

/// A reply from the server.
struct HTTPReply: Sendable, Equatable {
    let status: Int
    let body: [UInt8]
    /// Response headers, names lower-cased (the last value of a repeated header).
    var headers: [String: String] = [:]
}

/// Why a request got no HTTP reply at all.
struct TransportError: Error, CustomStringConvertible, Equatable {
    let description: String
}

/// TLS choices for one server.
struct TLSSettings: Sendable, Equatable {
    /// Skip certificate verification (`--insecure`): only for that user's choice, never by default.
    var insecure = false
    /// A PEM bundle of CAs to trust instead of the system's (`--cacert`).
    var caCertificateFile: String?
    /// The same from memory (a kubeconfig's `certificate-authority-data`).
    var caCertificatePEM: [UInt8]?
    /// A client certificate and key in PEM, from memory (kubeconfig client credentials).
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
}

/// HTTP requests through libcurl, the agent's only network library.
///
/// Redirects are never followed: a redirect would carry the token's headers to wherever the
/// server points. Transfers are blocking in libcurl, so each runs on its own short-lived
/// thread and the caller's task waits without holding a Swift concurrency thread.
struct CurlClient: Sendable {
    var userAgent = "pulse-agent/\(PulseAgentCommand.version)"
    var timeout: Duration = .seconds(15)
    var connectTimeout: Duration = .seconds(5)
    var tls = TLSSettings()
    /// Talk HTTP over this unix socket instead of TCP (the Docker Engine API); the URL's host
    /// is then only a placeholder.
    var unixSocketPath: String?
    /// A longer body aborts the transfer (downloads of the agent binary).
    var maximumBodyBytes: Int?

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// POSTs `body` to `url` with `headers` ("Name: value").
    func post(_ url: String, headers: [String], body: [UInt8]) async throws -> HTTPReply {
        try await BlockingThread.run { try perform(method: "POST", url: url, headers: headers, body: body) }
    }

    /// GETs `url`.
    func get(_ url: String, headers: [String]) async throws -> HTTPReply {
        try await BlockingThread.run { try perform(method: "GET", url: url, headers: headers, body: nil) }
    }

    /// DELETEs `url` (tests and tools; reports never need it).
    func delete(_ url: String, headers: [String]) async throws -> HTTPReply {
        try await BlockingThread.run { try perform(method: "DELETE", url: url, headers: headers, body: nil) }
    }

    private func perform(method: String, url: String, headers: [String], body: [UInt8]?) throws -> HTTPReply {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { throw TransportError(description: "libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        let response = ResponseBuffer(limit: maximumBodyBytes)
        let context = Unmanaged.passRetained(response)
        defer { context.release() }

        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers + ["Expect:"] { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }

        pulse_curl_set_string(handle, CURLOPT_URL, url)
        pulse_curl_set_string(handle, CURLOPT_USERAGENT, userAgent)
        pulse_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)
        pulse_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        pulse_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        pulse_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        pulse_curl_set_long(handle, CURLOPT_TIMEOUT_MS, timeout.wholeMilliseconds)
        pulse_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.wholeMilliseconds)
        pulse_curl_set_long(handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        if tls.insecure {
            pulse_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            pulse_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let ca = tls.caCertificateFile { pulse_curl_set_string(handle, CURLOPT_CAINFO, ca) }
        for (option, pem) in [(CURLOPT_CAINFO_BLOB, tls.caCertificatePEM), (CURLOPT_SSLCERT_BLOB, tls.clientCertificatePEM), (CURLOPT_SSLKEY_BLOB, tls.clientKeyPEM)] {
            guard let pem else { continue }
            pem.withUnsafeBytes { _ = pulse_curl_set_blob(handle, option, $0.baseAddress, $0.count) }
        }
        if method != "GET" && method != "POST" { pulse_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method) }
        if let unixSocketPath { pulse_curl_set_string(handle, CURLOPT_UNIX_SOCKET_PATH, unixSocketPath) }
        pulse_curl_set_write_callback(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            let bytes = size * count
            let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue()
            if let limit = buffer.limit, buffer.bytes.count + bytes > limit { return 0 }  // aborts the transfer
            buffer.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: bytes))
            return bytes
        }
        pulse_curl_set_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        pulse_curl_set_header_callback(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            let bytes = size * count
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: bytes), as: UTF8.self)
            Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue().addHeaderLine(line)
            return bytes
        }
        pulse_curl_set_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())

        try (body ?? []).withUnsafeBufferPointer { buffer in
            if method == "POST" {
                pulse_curl_set_long(handle, CURLOPT_POST, 1)
                pulse_curl_set_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(buffer.count))
                if let base = buffer.baseAddress {
                    pulse_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                } else {
                    pulse_curl_set_string(handle, CURLOPT_POSTFIELDS, "")
                }
            }
            let code = curl_easy_perform(handle)
            if code == CURLE_WRITE_ERROR, let limit = maximumBodyBytes {
                throw TransportError(description: "the reply is larger than \(limit) bytes")
            }
            if code != CURLE_OK { throw TransportError(description: String(cString: curl_easy_strerror(code))) }
        }
        var status = 0
        pulse_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPReply(status: status, body: response.bytes, headers: response.headers)
    }
}

/// Collects a response body across libcurl's write callbacks.
private final class ResponseBuffer {
    var bytes: [UInt8] = []
    var headers: [String: String] = [:]
    let limit: Int?

    init(limit: Int?) {
        self.limit = limit
    }

    /// One header line; a status line (a new response, e.g. after `100 Continue`) starts afresh.
    func addHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = String(line[line.index(after: colon)...]).trimmingASCIIWhitespace
        headers[name] = value
    }
}
