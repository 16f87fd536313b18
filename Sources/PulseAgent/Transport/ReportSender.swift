import AgentProtocol
import CurlHTTP

/// Which endpoint a report goes to.
enum ReportKind: String, Sendable, CaseIterable {
    case host, docker, kubernetes

    var path: String {
        switch self {
        case .host: AgentPaths.hostReport
        case .docker: AgentPaths.dockerReport
        case .kubernetes: AgentPaths.kubernetesReport
        }
    }
}

/// What became of one delivery attempt.
enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx: the server has it; the reply body.
    case delivered([UInt8])
    /// No reply, 5xx, 408 or 429: worth keeping and trying again later.
    case retryLater(String)
    /// Any other 4xx: the server will never take this report (bad token, invalid report); keeping
    /// it would only block the reports behind it.
    case rejected(Int, String)
}

/// POSTs reports to the server with the token in both headers Pulse agents send.
/// The token goes into headers only: it is never part of a URL and never logged.
struct ReportSender: Sendable {
    let client: CurlClient
    /// The server URL without a trailing slash (as `AgentOptions.resolve` leaves it).
    let baseURL: String
    let token: String

    func deliver(_ kind: ReportKind, body: [UInt8]) async -> DeliveryOutcome {
        await post(kind.path, body: body)
    }

    /// POSTs JSON to a server path with the token (reports, command acks).
    func post(_ path: String, body: [UInt8]) async -> DeliveryOutcome {
        await exchange { headers in
            try await client.post(baseURL + path, headers: ["Content-Type: application/json"] + headers, body: body)
        }
    }

    /// GETs a server path with the token (the host's settings while host reports are off).
    func get(_ path: String) async -> DeliveryOutcome {
        await exchange { headers in try await client.get(baseURL + path, headers: ["Accept: application/json"] + headers) }
    }

    private func exchange(_ send: ([String]) async throws -> HTTPReply) async -> DeliveryOutcome {
        let headers = ["\(AgentHeaders.apiToken): \(token)", "Authorization: Bearer \(token)"]
        do {
            let reply = try await send(headers)
            switch reply.status {
            case 200..<300: return .delivered(reply.body)
            case 408, 429, 500...: return .retryLater("HTTP \(reply.status)")
            default:
                let message = String(decoding: reply.body.prefix(300), as: UTF8.self)
                return .rejected(reply.status, message)
            }
        } catch {
            return .retryLater("\(error)")
        }
    }
}
