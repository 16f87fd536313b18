import AgentProtocol
import Hummingbird
import NIOCore
package import PulseCore

/// `GET /api/state`: the whole merged state, for dashboards and scripts; `GET /api/state/summary`:
/// its counts.
///
/// The state is served from `StateDocuments`: the same encoded bytes for every reader of a
/// version, gzipped (once per version, `EncodedState.compressed`) for a client that accepts gzip.
package struct StateRoutes {
    package let state: MonitoringState
    package let documents: StateDocuments

    package func register(on routes: ScopedRouter) {
        routes.get("/api/state", access: .scope(.monitoringRead)) { request, context in
            let document = try await documents.document(for: context.authentication.readerKey)
            let gzip = AcceptEncoding.acceptsGzip(request.headers[.acceptEncoding])
            let body = gzip ? await document.compressed().gzip : document.state
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.contentLength] = String(body.readableBytes)
            headers[.vary] = "Accept-Encoding"
            if gzip { headers[.contentEncoding] = "gzip" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        routes.get("/api/state/summary", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(StateSummary(await state.snapshot()))
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState, documents: StateDocuments) {
        self.state = state
        self.documents = documents
    }
}
