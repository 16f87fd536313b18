import CCurl

#if canImport(Glibc)
import Glibc
#endif

/// A reply from a server.
public struct HTTPReply: Sendable, Equatable {
    public let status: Int
    public let body: [UInt8]
    /// Response headers, names lower-cased (the last value of a repeated header).
    public var headers: [String: String] = [:]

    public init(status: Int, body: [UInt8], headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }
}

/// Why a request got no HTTP reply at all.
public struct TransportError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

/// TLS choices for one server.
public struct TLSSettings: Sendable, Equatable {
    /// Skip certificate verification (`--insecure`, `verifySSL: false`): only for that user's
    /// choice for that one target, never by default.
    public var insecure = false
    /// A PEM bundle of CAs to trust instead of the system's (`--cacert`).
    public var caCertificateFile: String?
    /// The same from memory (a kubeconfig's `certificate-authority-data`).
    public var caCertificatePEM: [UInt8]?
    /// A client certificate and key in PEM, from memory (kubeconfig client credentials).
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// libcurl's `CURLOPT_PINNEDPUBLICKEY` (`sha256//<base64>`): the handshake fails, before
    /// anything is sent, unless the server's public key has this hash.
    public var pinnedPublicKey: String?

    public init(
        insecure: Bool = false, caCertificateFile: String? = nil, caCertificatePEM: [UInt8]? = nil,
        clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil, pinnedPublicKey: String? = nil
    ) {
        self.insecure = insecure
        self.caCertificateFile = caCertificateFile
        self.caCertificatePEM = caCertificatePEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.pinnedPublicKey = pinnedPublicKey
    }
}

/// HTTP requests through libcurl, the only network library of the agent and of the server's
/// outbound calls.
///
/// Redirects are never followed: a redirect would carry the credentials' headers to wherever
/// the server points. Transfers are blocking in libcurl, so each runs on its own short-lived
/// thread and the caller's task waits without holding a Swift concurrency thread.
public struct CurlClient: Sendable {
    public var userAgent: String
    public var timeout: Duration
    public var connectTimeout: Duration
    public var tls: TLSSettings
    /// Talk HTTP over this unix socket instead of TCP (the Docker Engine API); the URL's host
    /// is then only a placeholder.
    public var unixSocketPath: String?
    /// A longer body aborts the transfer (downloads of the agent binary).
    public var maximumBodyBytes: Int?
    /// `host:port:address` entries (CURLOPT_RESOLVE): connect to an address checked beforehand,
    /// so a second DNS answer cannot send the request elsewhere (DNS rebinding).
    public var resolve: [String] = []
    /// Keeps libcurl handles, and with them their open connections and TLS sessions, between
    /// requests; nil opens a new connection each time.
    public var connections: CurlConnections?

    public init(
        userAgent: String = "pulse", timeout: Duration = .seconds(15), connectTimeout: Duration = .seconds(5),
        tls: TLSSettings = TLSSettings(), unixSocketPath: String? = nil, maximumBodyBytes: Int? = nil,
        connections: CurlConnections? = nil
    ) {
        self.userAgent = userAgent
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.unixSocketPath = unixSocketPath
        self.maximumBodyBytes = maximumBodyBytes
        self.connections = connections
    }

    /// libcurl's one-time global setup, done before the first handle of any client in this module.
    static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// POSTs `body` to `url` with `headers` ("Name: value"). A header line, the user agent or the
    /// method holding CR, LF or NUL is refused (`TransportError`) before anything is sent.
    public func post(_ url: String, headers: [String], body: [UInt8]) async throws -> HTTPReply {
        try await send("POST", url, headers: headers, body: body)
    }

    /// GETs `url`.
    public func get(_ url: String, headers: [String]) async throws -> HTTPReply {
        try await send("GET", url, headers: headers, body: nil)
    }

    /// HEADs `url`: the reply's status and headers, no body.
    public func head(_ url: String, headers: [String]) async throws -> HTTPReply {
        try await send("HEAD", url, headers: headers, body: nil)
    }

    /// DELETEs `url`.
    public func delete(_ url: String, headers: [String]) async throws -> HTTPReply {
        try await send("DELETE", url, headers: headers, body: nil)
    }

    /// Any method; a body is sent for POST (and, when given, for PUT and PATCH).
    public func send(_ method: String, _ url: String, headers: [String], body: [UInt8]?) async throws -> HTTPReply {
        try await BlockingThread.run { try perform(method: method, url: url, headers: headers, body: body, onData: nil) }
    }

    /// Like ``send(_:_:headers:body:)``, and hands each piece of the body to `onData` as it
    /// arrives (server-sent events, newline-delimited JSON), on the transfer's thread. The reply
    /// still holds the whole body (within ``maximumBodyBytes``), so an error answer can be read.
    public func stream(
        _ method: String, _ url: String, headers: [String], body: [UInt8]?, onData: @escaping @Sendable ([UInt8]) -> Void
    ) async throws -> HTTPReply {
        try await BlockingThread.run { try perform(method: method, url: url, headers: headers, body: body, onData: onData) }
    }

    /// The server's leaf certificate (DER), read from a TLS handshake that sends no request;
    /// verification is off for this handshake only, as the caller checks the certificate itself
    /// (a certificate fingerprint pinned by the user).
    public func serverCertificate(_ url: String) async throws -> [UInt8] {
        try await BlockingThread.run { try fetchCertificate(url: url) }
    }

    private func fetchCertificate(url: String) throws -> [UInt8] {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { throw TransportError(description: "libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        pulse_curl_set_string(handle, CURLOPT_URL, url)
        pulse_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        pulse_curl_set_long(handle, CURLOPT_CONNECT_ONLY, 1)
        pulse_curl_set_long(handle, CURLOPT_CERTINFO, 1)
        pulse_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
        pulse_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        pulse_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "https")
        pulse_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.wholeMilliseconds)
        let code = curl_easy_perform(handle)
        if code != CURLE_OK { throw TransportError(description: String(cString: curl_easy_strerror(code))) }
        var info: UnsafeMutablePointer<curl_certinfo>?
        pulse_curl_get_certinfo(handle, &info)
        guard let info, info.pointee.num_of_certs > 0, var line = info.pointee.certinfo[0] else {
            throw TransportError(description: "the server sent no certificate")
        }
        while true {
            let text = String(cString: line.pointee.data)
            if text.hasPrefix("Cert:"), let der = PEM.firstBlock(text.dropFirst(5)) { return der }
            guard let next = line.pointee.next else { break }
            line = next
        }
        throw TransportError(description: "the server's certificate could not be read")
    }

    private func perform(
        method: String, url: String, headers: [String], body: [UInt8]?, onData: (@Sendable ([UInt8]) -> Void)?
    ) throws -> HTTPReply {
        try HeaderLine.refuseLineBreaks(inHeaders: headers)
        try HeaderLine.refuseLineBreaks(userAgent, label: "the user agent")
        try HeaderLine.refuseLineBreaks(method, label: "the method")
        _ = Self.globalInit
        guard let handle = connections?.take() ?? curl_easy_init() else { throw TransportError(description: "libcurl could not create a handle") }
        defer {
            if let connections { connections.giveBack(handle) } else { curl_easy_cleanup(handle) }
        }
        let response = ResponseBuffer(limit: maximumBodyBytes, onData: onData)
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
        if let pin = tls.pinnedPublicKey { pulse_curl_set_string(handle, CURLOPT_PINNEDPUBLICKEY, pin) }
        for (option, pem) in [
            (CURLOPT_CAINFO_BLOB, tls.caCertificatePEM), (CURLOPT_SSLCERT_BLOB, tls.clientCertificatePEM), (CURLOPT_SSLKEY_BLOB, tls.clientKeyPEM),
        ] {
            guard let pem else { continue }
            pem.withUnsafeBytes { _ = pulse_curl_set_blob(handle, option, $0.baseAddress, $0.count) }
        }
        if method == "HEAD" {
            // A custom HEAD would wait for the body its Content-Length announces; NOBODY sends a real HEAD.
            pulse_curl_set_long(handle, CURLOPT_NOBODY, 1)
        } else if method != "GET" && method != "POST" {
            pulse_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        if let unixSocketPath { pulse_curl_set_string(handle, CURLOPT_UNIX_SOCKET_PATH, unixSocketPath) }
        var resolveList: UnsafeMutablePointer<curl_slist>?
        for entry in resolve { resolveList = curl_slist_append(resolveList, entry) }
        defer { curl_slist_free_all(resolveList) }
        pulse_curl_set_slist(handle, CURLOPT_RESOLVE, resolveList)
        pulse_curl_set_write_callback(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            let bytes = size * count
            let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue()
            if let limit = buffer.limit, buffer.bytes.count + bytes > limit { return 0 }  // aborts the transfer
            let piece = UnsafeRawBufferPointer(start: data, count: bytes)
            buffer.bytes.append(contentsOf: piece)
            buffer.onData?(Array(piece))
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
            if method == "POST" || ((method == "PUT" || method == "PATCH") && body != nil) {
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
    let onData: (@Sendable ([UInt8]) -> Void)?

    init(limit: Int?, onData: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.limit = limit
        self.onData = onData
    }

    /// One header line; a status line (a new response, e.g. after `100 Continue`) starts afresh.
    func addHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingASCIIWhitespace
        headers[name] = value
    }
}
