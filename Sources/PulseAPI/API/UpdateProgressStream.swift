import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /api/updates/stream`: server-sent events, one `data: <UpdateStatus JSON>` per status,
/// the current one first, and a comment line every `keepAlive` while nothing changes. It ends
/// when the client leaves (noticed at the next write at the latest) or the server shuts down.
struct UpdateProgressStream {
    let progress: UpdateProgress
    let keepAlive: Duration

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        // Proxies and caches must pass each event on as it comes.
        headers[.cacheControl] = "no-cache, no-transform"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let progress = progress
        let keepAlive = keepAlive
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let statuses = progress.watch()
                let (events, sink) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(32))
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await status in statuses { sink.yield(Self.event(status)) }
                            sink.finish()
                        }
                        group.addTask {
                            while true {
                                try await Task.sleep(for: keepAlive)
                                sink.yield(ByteBuffer(string: ": keep-alive\n\n"))
                            }
                        }
                        for await event in events { try await writer.write(event) }
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    sink.finish()
                }
                try await writer.finish(nil)
            })
    }

    static func event(_ status: UpdateStatus) -> ByteBuffer {
        let json = (try? JSONBody.makeEncoder().encode(status)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "data: \(json)\n\n")
    }
}
