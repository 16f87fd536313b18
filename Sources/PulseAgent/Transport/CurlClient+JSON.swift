import AgentProtocol
import CurlHTTP

extension CurlClient {
    /// GETs `url` and decodes its JSON body; anything but a 2xx with a body is an error that
    /// names `label` (the path asked for) and the start of the reply.
    func getJSON<T: Decodable>(_ url: String, headers: [String] = [], as type: T.Type, label: String) async throws -> T {
        let reply = try await get(url, headers: ["Accept: application/json"] + headers)
        guard (200..<300).contains(reply.status) else {
            throw TransportError(description: "\(label) answered \(reply.status): \(String(decoding: reply.body.prefix(200), as: UTF8.self))")
        }
        guard !reply.body.isEmpty else { throw TransportError(description: "\(label) answered with an empty body") }
        return try AgentJSONDecoder().decode(T.self, from: reply.body)
    }
}
