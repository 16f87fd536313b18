import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

extension PulseRequestContext {
    /// A context as a connection from `remoteIP` would produce.
    static func forTesting(remoteIP: String? = nil) -> PulseRequestContext {
        let channel = EmbeddedChannel()
        if let remoteIP {
            channel.remoteAddress = try? SocketAddress(ipAddress: remoteIP, port: 40000)
        }
        return PulseRequestContext(source: .init(channel: channel, logger: Logger(label: "test")))
    }
}

extension Request {
    static func forTesting(method: HTTPRequest.Method, path: String) -> Request {
        Request(head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path), body: .init(buffer: ByteBuffer()))
    }
}
