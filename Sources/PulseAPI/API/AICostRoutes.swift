import AgentProtocol
package import Assistant
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
package import Persistence
package import PulseSupport

/// The assistant's token use and what it cost, from the usage table and the settings' prices:
///
/// - `GET /api/ai/cost/summary?days=N` (`settings:read`, default 30 days, at most 365): per
///   provider and model, per day, and in all;
/// - `POST /api/ai/cost/reset` (`settings:write`): forgets the use recorded so far;
/// - `GET /api/ai/cost/export?days=N&format=csv|json` (`settings:read`): the rows per day,
///   provider and model as a CSV (default) or JSON download.
package struct AICostRoutes {
    package let usage: AIUsageTable
    package let configuration: AIConfiguration
    package let audit: AuditLog
    package let time: any TimeSource

    package init(usage: AIUsageTable, configuration: AIConfiguration, audit: AuditLog, time: any TimeSource) {
        self.usage = usage
        self.configuration = configuration
        self.audit = audit
        self.time = time
    }

    struct ResetReply: Encodable {
        let success: Bool
        let message: String
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/ai/cost/summary", access: .scope(.settingsRead)) { request, _ in
            let days = try Self.days(request)
            let rows = try usage.rows(since: since(days))
            return JSONResponse(CostReport(rows: rows, days: days, prices: await configuration.settings.modelPrices))
        }
        routes.post("/api/ai/cost/reset", access: .scope(.settingsWrite)) { _, context in
            try usage.reset()
            audit.record("ai_cost_reset", actor: context.authentication.actor, ip: context.clientIP)
            return JSONResponse(ResetReply(success: true, message: "AI usage history reset"))
        }
        routes.get("/api/ai/cost/export", access: .scope(.settingsRead)) { request, _ in
            let days = try Self.days(request)
            let format = request.uri.queryParameters["format"].map { String($0).lowercased() } ?? "csv"
            guard format == "csv" || format == "json" else { throw APIError.badRequest("format must be csv or json", field: "format") }
            let rows = try usage.rows(since: since(days))
            let prices = await configuration.settings.modelPrices
            let stamp = AIUsageTable.day(of: time.now()).replacingOccurrences(of: "-", with: "")
            var response: Response
            if format == "json" {
                response = JSONBody.response(CostReport(rows: rows, days: days, prices: prices))
            } else {
                response = Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: CostReport.csv(rows: rows, prices: prices))))
            }
            response.headers[.contentDisposition] = "attachment; filename=\"pulse-ai-usage-\(stamp)-\(days)d.\(format)\""
            return response
        }
    }

    private func since(_ days: Int) -> String {
        AIUsageTable.day(of: time.now().addingTimeInterval(-Double(days - 1) * 86_400))
    }

    static func days(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["days"] else { return 30 }
        guard let days = Int(String(text)), (1...365).contains(days) else {
            throw APIError.badRequest("days must be a whole number from 1 to 365", field: "days")
        }
        return days
    }
}
