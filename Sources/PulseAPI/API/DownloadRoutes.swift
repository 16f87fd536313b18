import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Public downloads: the agent installer and the agent builds with their SHA-256 and signature.
///
/// - `GET|HEAD /download/pulse-agent?arch=<os>-<arch>`: the build, with `X-Checksum-Sha256`,
///   `X-Signature-Ed25519` (base64 of the server's signature of exactly these bytes, see
///   `AgentSigningKey`) and `Content-Length`. Unknown arch → 400; a known arch this server has
///   no build for → 404.
/// - `GET|HEAD /download/pulse-agent.sha256?arch=`: `<hex>  pulse-agent-<os>-<arch>` (sha256sum format).
/// - `GET|HEAD /download/pulse-agent.sig?arch=`: the raw 64-byte signature, as
///   `openssl pkeyutl -verify -rawin -sigfile` reads it.
/// - `GET|HEAD /install.sh`: the installer, never cached.
/// - `GET|HEAD /uninstall-host-agent.sh`: the same installer with `--uninstall` put before the
///   caller's arguments (one fixed line after the shebang), so `curl … | sudo sh` removes the
///   agent exactly as `install.sh --uninstall` does. Nothing from the request is in it.
/// - Pulse's legacy names (`pulse-host-agent`, `pulse-docker-agent`, `install-*-agent.sh`) serve
///   the unified agent and installer.
package struct DownloadRoutes {
    package let catalog: AgentBinaryCatalog
    private let fileIO = FileIO()

    package init(catalog: AgentBinaryCatalog) {
        self.catalog = catalog
    }

    static let binaryPaths = ["/download/pulse-agent", "/download/pulse-host-agent", "/download/pulse-docker-agent"]
    static let installerPaths = ["/install.sh", "/install-host-agent.sh", "/install-docker-agent.sh"]
    static let uninstallerPath = "/uninstall-host-agent.sh"
    static let checksumHeader = HTTPField.Name("X-Checksum-Sha256")!
    static let signatureHeader = HTTPField.Name("X-Signature-Ed25519")!
    /// Named in the 400 for a missing or unknown arch.
    static let supportedList = AgentPlatform.supported.map(\.description).joined(separator: ", ")

    package func register(on routes: ScopedRouter) {
        for path in Self.binaryPaths {
            routes.getAndHead(path, access: .open) { request, context in
                try await binaryResponse(request, context: context)
            }
            routes.getAndHead(path + ".sha256", access: .open) { request, _ in
                let binary = try await requiredBinary(request)
                let body = "\(binary.sha256)  \(binary.platform.binaryName)\n"
                return Self.response(
                    request, body: ByteBuffer(string: body),
                    headers: [.contentType: "text/plain; charset=utf-8", Self.checksumHeader: binary.sha256])
            }
            routes.getAndHead(path + ".sig", access: .open) { request, _ in
                let binary = try await requiredBinary(request)
                return Self.response(
                    request, body: ByteBuffer(bytes: binary.signature),
                    headers: [
                        .contentType: "application/octet-stream",
                        .contentDisposition: "attachment; filename=\"\(binary.platform.binaryName).sig\"",
                        .cacheControl: "no-cache",
                        Self.signatureHeader: binary.signature.base64EncodedString(),
                    ])
            }
        }
        for path in Self.installerPaths {
            routes.getAndHead(path, access: .open) { request, _ in
                guard let script = EmbeddedFiles.named("install.sh") else {
                    throw APIError.notFound("This server was built without the agent installer")
                }
                return Self.response(
                    request, body: script,
                    headers: [.contentType: "text/x-shellscript; charset=utf-8", .cacheControl: "no-cache"])
            }
        }
        routes.getAndHead(Self.uninstallerPath, access: .open) { request, _ in
            guard let script = EmbeddedFiles.named("install.sh") else {
                throw APIError.notFound("This server was built without the agent installer")
            }
            return Self.response(
                request, body: Self.uninstaller(from: script),
                headers: [.contentType: "text/x-shellscript; charset=utf-8", .cacheControl: "no-cache"])
        }
    }

    /// The line the uninstaller adds after the installer's first line (its shebang).
    static let uninstallLine = "set -- --uninstall \"$@\"\n"

    /// `install.sh` with `uninstallLine` after its first line.
    static func uninstaller(from installer: ByteBuffer) -> ByteBuffer {
        let bytes = Array(installer.readableBytesView)
        let split = (bytes.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        var result = ByteBuffer(bytes: bytes[..<split])
        result.writeString(uninstallLine)
        result.writeBytes(bytes[split...])
        return result
    }

    private func binaryResponse(_ request: Request, context: PulseRequestContext) async throws -> Response {
        let binary = try await requiredBinary(request)
        var headers: HTTPFields = [
            .contentType: "application/octet-stream",
            .contentDisposition: "attachment; filename=\"\(binary.platform.binaryName)\"",
            .cacheControl: "no-cache",
            Self.checksumHeader: binary.sha256,
            Self.signatureHeader: binary.signature.base64EncodedString(),
        ]
        guard request.method != .head else {
            headers[.contentLength] = String(binary.size)
            return Response(status: .ok, headers: headers)
        }
        context.logger.info(
            "agent download", metadata: ["arch": .string(binary.platform.description), "sha256": .string(binary.sha256)])
        return Response(status: .ok, headers: headers, body: try await fileIO.loadFile(path: binary.path, context: context))
    }

    /// The build the `arch` query names; 400 for a name that is no build, 404 when it is not here.
    private func requiredBinary(_ request: Request) async throws -> AgentBinary {
        let supported = Self.supportedList
        guard let requested = request.uri.queryParameters.get("arch"), !requested.isEmpty else {
            throw APIError.badRequest("The arch query parameter is required (one of \(supported))", field: "arch")
        }
        guard let platform = AgentPlatform(parsing: requested) else {
            throw APIError.badRequest("Unknown agent architecture '\(requested)' (expected one of \(supported))", field: "arch")
        }
        guard let binary = try await catalog.binary(for: platform) else {
            throw APIError.notFound("This server has no pulse-agent build for \(platform)")
        }
        return binary
    }

    /// A small in-memory response; HEAD gets the headers and length without the body.
    private static func response(_ request: Request, body: ByteBuffer, headers: HTTPFields) -> Response {
        var headers = headers
        if request.method == .head {
            headers[.contentLength] = String(body.readableBytes)
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
