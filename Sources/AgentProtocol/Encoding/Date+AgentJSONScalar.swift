#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Date: AgentJSONScalar {
    /// A time in an agent body: RFC 3339 in UTC, as `AgentJSON.makeEncoder()` writes it.
    func agentJSONNode(codingPath: [any CodingKey]) throws -> JSONNode {
        .string(try RFC3339.format(self, codingPath: codingPath))
    }
}
