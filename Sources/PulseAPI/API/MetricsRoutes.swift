import AgentProtocol
import Foundation
import HTTPTypes
import Hummingbird
package import Persistence
package import PulseCore
package import PulseSupport

/// The metrics history (`/api/metrics-store/*`) and the recent charts (`/api/charts`,
/// `/api/storage-charts`), all `monitoring:read`. History and charts come from `history`: the
/// local store or a time-series engine, named in the reply's `source` and in
/// `X-Pulse-History-Source`.
package struct MetricsRoutes {
    package let store: SQLiteMetricsStore
    package let history: HistoryReader
    package let time: any TimeSource

    /// At most this many points per series in a history answer.
    package static let historyPointLimit = 500
    /// The longest history `range` accepted: ten years, far past any retention, and small
    /// enough that the window's bounds in milliseconds stay within Int64.
    static let longestHistoryRange: Int64 = 10 * 365 * 86_400
    static let chartRanges: [String: Int64] = [
        "5m": 300, "15m": 900, "30m": 1800, "1h": 3600, "4h": 14_400, "12h": 43_200, "24h": 86_400, "7d": 604_800,
    ]

    package struct History: Encodable, Sendable {
        package var resourceType: String
        package var resourceId: String
        package var metric: String?
        package var range: String
        package var start: Int64
        package var end: Int64
        package var points: [MetricSample]?
        package var metrics: [String: [MetricSample]]?
        package var source: HistorySourceKind = .local
    }

    package struct Charts: Encodable, Sendable {
        package var data: [String: [String: [ChartPoint]]] = [:]
        var nodeData: [String: [String: [ChartPoint]]] = [:]
        var storageData: [String: [String: [ChartPoint]]] = [:]
        var dockerData: [String: [String: [ChartPoint]]] = [:]
        var dockerHostData: [String: [String: [ChartPoint]]] = [:]
        var hostData: [String: [String: [ChartPoint]]] = [:]
        var guestTypes: [String: String] = [:]
        package var timestamp: Int64
        package var stats: Stats
        package var source: HistorySourceKind = .local

        package struct Stats: Encodable, Sendable { var oldestDataTimestamp: Int64? }
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/metrics-store/stats", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(try await store.stats())
        }

        routes.get("/api/metrics-store/history", access: .scope(.monitoringRead)) { request, _ in
            let query = request.uri.queryParameters
            guard let type = query["resourceType"].map(String.init), !type.isEmpty else {
                throw APIError.badRequest(
                    "resourceType is required (node, vm, container, host, dockerHost, dockerContainer, storage, disk)", field: "resourceType")
            }
            guard let id = query["resourceId"].map(String.init), !id.isEmpty else {
                throw APIError.badRequest("resourceId is required", field: "resourceId")
            }
            let rangeText = query["range"].map(String.init) ?? "24h"
            guard let span = DurationText.seconds(rangeText), span <= Self.longestHistoryRange else {
                throw APIError.badRequest(
                    "range must be 1h, 6h, 12h, 24h, 7d, 30d, 90d or a duration such as 90m, at most 3650d", field: "range")
            }
            let end = Int64(time.now().timeIntervalSince1970)
            let start = end - span
            var reply = History(resourceType: type, resourceId: id, range: rangeText, start: start * 1000, end: end * 1000)
            if let metric = query["metric"].map(String.init), !metric.isEmpty {
                reply.metric = metric
                let answer = try await history.history(
                    SeriesKey(resourceType: type, resourceId: id, metric: metric), from: start, to: end, limit: Self.historyPointLimit)
                (reply.points, reply.source) = (answer.samples, answer.source)
            } else {
                let answer = try await history.histories(
                    resourceType: type, resourceId: id, from: start, to: end, limit: Self.historyPointLimit)
                (reply.metrics, reply.source) = (answer.metrics, answer.source)
            }
            return Self.response(reply, source: reply.source)
        }

        routes.get("/api/charts", access: .scope(.monitoringRead)) { request, _ in
            let reply = try await charts(request, only: nil)
            return Self.response(reply, source: reply.source)
        }

        // The reply is a map of storage IDs, with no room for a field: the header names the source.
        routes.get("/api/storage-charts", access: .scope(.monitoringRead)) { request, _ in
            let all = try await charts(request, only: "storage")
            return Self.response(all.storageData, source: all.source)
        }
    }

    private func charts(_ request: Request, only resourceType: String?) async throws -> Charts {
        let rangeText = request.uri.queryParameters["range"].map(String.init) ?? "1h"
        guard let span = Self.chartRanges[rangeText] else {
            throw APIError.badRequest("range must be one of 5m, 15m, 30m, 1h, 4h, 12h, 24h, 7d", field: "range")
        }
        let now = Int64(time.now().timeIntervalSince1970)
        var reply = Charts(timestamp: now * 1000, stats: .init(oldestDataTimestamp: await history.local.charts.oldest.map { $0 * 1000 }))
        let (series, source) = try await history.charts(span: span, now: now, limit: ChartBuffers.capacity)
        reply.source = source
        for (series, points) in series where !points.isEmpty {
            if let resourceType, series.resourceType != resourceType { continue }
            switch series.resourceType {
            case "vm", "container":
                reply.data[series.resourceId, default: [:]][series.metric] = points
                reply.guestTypes[series.resourceId] = series.resourceType
            case "node": reply.nodeData[series.resourceId, default: [:]][series.metric] = points
            case "storage": reply.storageData[series.resourceId, default: [:]][series.metric] = points
            case "dockerContainer": reply.dockerData[series.resourceId, default: [:]][series.metric] = points
            case "dockerHost": reply.dockerHostData[series.resourceId, default: [:]][series.metric] = points
            case "host": reply.hostData[series.resourceId, default: [:]][series.metric] = points
            default: continue
            }
        }
        return reply
    }

    /// `value` as JSON with the header naming the source that answered.
    private static func response(_ value: some Encodable, source: HistorySourceKind) -> Response {
        var response = JSONBody.response(value, status: .ok)
        response.headers[sourceHeader] = source.rawValue
        return response
    }

    private static let sourceHeader = HTTPField.Name(HistorySourceKind.headerName)!

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(store: SQLiteMetricsStore, history: HistoryReader, time: any TimeSource) {
        self.store = store
        self.history = history
        self.time = time
    }
}
