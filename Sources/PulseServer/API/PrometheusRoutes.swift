import Hummingbird
import NIOCore

/// `GET /metrics`: the monitored data in Prometheus's text format (Pulse v5 has no such endpoint).
struct PrometheusRoutes {
    let state: MonitoringState
    let access: ServerConfiguration.MetricsAccess

    func register(on routes: ScopedRouter) {
        routes.get("/metrics", access: access == .open ? .open : .scope(.monitoringRead)) { _, _ in
            let text = await state.snapshot().prometheusExposition()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
