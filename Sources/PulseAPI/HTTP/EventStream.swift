import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// Server-sent events (`text/event-stream`) for the routes that stream (`/api/logs/stream`,
/// `/api/updates/stream`): the response headers, one `data:` event per value, and the loop that
/// forwards a source's events with a comment at every heartbeat while nothing comes. A heartbeat
/// is how a client that went away is noticed (the write fails) and keeps a proxy from closing a
/// quiet stream.
enum EventStream {
    /// Proxies and caches must pass each event on as it comes, untouched.
    static let headers: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-store, no-transform", HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// `data: <value as JSON>` and the blank line that ends an event.
    static func data(_ value: some Encodable) -> ByteBuffer {
        let json = (try? JSONBody.makeEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "data: \(json)\n\n")
    }

    /// Writes `event(element)` for each element of `source`, and `: keep-alive` every
    /// `heartbeat` besides, until `source` ends, a write fails (the client left) or the server
    /// shuts down gracefully.
    static func forward<Element: Sendable>(
        _ source: AsyncStream<Element>, heartbeat: Duration, into writer: inout any ResponseBodyWriter,
        event: @escaping @Sendable (Element) -> ByteBuffer
    ) async throws {
        let (chunks, sink) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(1_000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await element in source { sink.yield(event(element)) }
                sink.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    sink.yield(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            defer { group.cancelAll() }
            for await chunk in chunks.cancelOnGracefulShutdown() { try await writer.write(chunk) }
        }
    }
}
