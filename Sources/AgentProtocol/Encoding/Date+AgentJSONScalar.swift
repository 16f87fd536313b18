#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Date: AgentJSONScalar {
    /// A time in an agent body: RFC 3339 in UTC, as `AgentJSON.makeEncoder()` writes it.
    func agentJSONNode(codingPath: [any CodingKey]) throws -> JSONNode {
        guard let text = RFC3339.format(self) else {
            throw EncodingError.invalidValue(
                self, .init(codingPath: codingPath, debugDescription: "Year outside 0...9999 cannot be written as RFC 3339"))
        }
        return .string(text)
    }
}
