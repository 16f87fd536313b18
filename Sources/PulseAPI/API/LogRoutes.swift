import AgentProtocol
import Foundation
import Hummingbird
package import Logging
package import PulseCore
package import PulseSupport
import ServiceLifecycle

/// The server's own log, redacted (`RecentLogLines`), and its level at run time:
///
/// - `GET /api/logs/level` (`settings:read`): `{"level"}` in Pulse's names (debug, info, warn, error);
/// - `POST /api/logs/level` `{"level"}` (`settings:write`): changes it now and stores it as the
///   `logLevel` system setting (409 when a flag or variable fixed it);
/// - `GET /api/logs/download` (`settings:read`): the recent lines as a text file;
/// - `GET /api/logs/stream[?lines=N][&follow=false]` (`settings:read`): server-sent events, the
///   last N lines (default 100) and then each new one as it is logged, a comment every 15 s to
///   notice a client that went away; it ends when the server shuts down (at once with
///   `follow=false`).
package struct LogRoutes {
    package let recent: RecentLogLines
    package let level: RuntimeLogLevel
    package let settings: SystemSettingsRoutes
    package let audit: AuditLog
    package let time: any TimeSource

    package init(recent: RecentLogLines, level: RuntimeLogLevel, settings: SystemSettingsRoutes, audit: AuditLog, time: any TimeSource) {
        self.recent = recent
        self.level = level
        self.settings = settings
        self.audit = audit
        self.time = time
    }

    struct Level: Codable, Sendable {
        let level: String
    }

    static let heartbeat: Duration = .seconds(15)

    package func register(on routes: ScopedRouter) {
        routes.get("/api/logs/level", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(Level(level: RuntimeLogLevel.pulseName(of: level.level)))
        }
        routes.post("/api/logs/level", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let wanted = try await request.decodeJSON(Level.self, limit: 1024).level
            guard RuntimeLogLevel.pulseNames.contains(wanted) else {
                throw DomainError.invalid("level must be one of \(RuntimeLogLevel.pulseNames.joined(separator: ", "))", field: "level")
            }
            let patch = SystemSettingsPatch(values: ["logLevel": .string(wanted)])
            try await settings.putInForce(try patch.applied(to: settings.live.current, locked: settings.live.locked))
            audit.record("log_level_change", actor: context.authentication.actor, ip: context.clientIP, details: wanted)
            return JSONResponse(Level(level: RuntimeLogLevel.pulseName(of: level.level)))
        }
        routes.get("/api/logs/download", access: .scope(.settingsRead)) { _, _ in
            let text = recent.lines().map(\.text).joined(separator: "\n") + "\n"
            let stamp = (RFC3339.format(time.now()) ?? "now").replacingOccurrences(of: ":", with: "")
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"pulse-\(stamp).log\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        routes.get("/api/logs/stream", access: .scope(.settingsRead)) { request, _ in
            let count = try Self.backlogCount(request.uri.queryParameters.get("lines"))
            let follows = try QueryFlag.parse(request.uri.queryParameters.get("follow"), named: "follow", default: true)
            let backlog = recent.lines(limit: count)
            let live = follows ? recent.follow() : nil
            return Response(
                status: .ok,
                headers: EventStream.headers,
                body: ResponseBody { writer in
                    for line in backlog { try await writer.write(EventStream.data(line)) }
                    if let live { try await EventStream.forward(live, heartbeat: Self.heartbeat, into: &writer) { EventStream.data($0) } }
                    try await writer.finish(nil)
                })
        }
    }

    /// `lines`: 0…2,000, default 100; anything else is refused naming the field.
    static func backlogCount(_ text: String?) throws -> Int {
        guard let text else { return 100 }
        guard let count = Int(text), (0...RecentLogLines.defaultCapacity).contains(count) else {
            throw DomainError.invalid("lines must be a whole number from 0 to \(RecentLogLines.defaultCapacity)", field: "lines")
        }
        return count
    }
}
