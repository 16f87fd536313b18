import AgentProtocol
import Foundation
import Hummingbird

/// Diagnostics for a bug report, with every secret left out:
///
/// - `GET /api/diagnostics` (`settings:read`): `DiagnosticsReport`, cached 45 s; the header
///   `X-Diagnostics-Cached-At` says when it was made;
/// - `GET /api/diagnostics/bundle` (`settings:read`): the report and the recent log lines in one
///   JSON file to attach to an issue.
package struct DiagnosticsRoutes {
    package let cache: DiagnosticsCache
    package let logs: RecentLogLines

    package init(cache: DiagnosticsCache, logs: RecentLogLines) {
        self.cache = cache
        self.logs = logs
    }

    struct Bundle: Encodable, Sendable {
        let diagnostics: DiagnosticsReport
        let logs: [LogLine]
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/diagnostics", access: .scope(.settingsRead)) { _, _ in
            let report = await cache.report()
            var response = JSONBody.response(report)
            response.headers[.init("X-Diagnostics-Cached-At")!] = RFC3339.format(report.generatedAt)
            return response
        }
        routes.get("/api/diagnostics/bundle", access: .scope(.settingsRead)) { _, _ in
            let report = await cache.report()
            var response = JSONBody.response(Bundle(diagnostics: report, logs: logs.lines()))
            let stamp = (RFC3339.format(report.generatedAt) ?? "now").replacingOccurrences(of: ":", with: "")
            response.headers[.contentDisposition] = "attachment; filename=\"pulse-diagnostics-\(stamp).json\""
            return response
        }
    }
}
