import AgentProtocol
import CurlHTTP

/// What one reporting loop sends: a kind of report, collected and encoded once per cycle, and
/// what to do with the server's answers to it.
protocol ReportSource: Sendable {
    var kind: ReportKind { get }
    /// One report, encoded as it is sent.
    func nextReport() async throws -> [UInt8]
    /// The server accepted a report; its reply may carry instructions (Docker commands).
    func accepted(reply: [UInt8]) async -> ReportSourceDecision
    /// The server refused a report for good (4xx).
    func rejected(status: Int, message: String) async -> ReportSourceDecision
    /// Called each interval instead of a report while the server's settings switch this module off.
    func whileDisabled() async -> ReportSourceDecision
}

/// Whether the loop goes on after a reply.
enum ReportSourceDecision: Sendable, Equatable {
    case keepReporting
    /// The server asked this source to stop (a Docker host removed in Pulse): its loop ends,
    /// the agent's other loops go on.
    case stopReporting(reason: String)
}

extension ReportSourceDecision {
    /// What a refusal means for a source the server can remove (a Docker host, a cluster):
    /// Pulse refuses a removed agent's reports with 400 "… was removed …" for 24 h, so that
    /// source stops; any other refusal concerns one report only.
    static func afterRejection(status: Int, message: String, removed reason: String) -> ReportSourceDecision {
        status == 400 && message.containsText("was removed") ? .stopReporting(reason: reason) : .keepReporting
    }
}

extension ReportSource {
    func accepted(reply: [UInt8]) async -> ReportSourceDecision { .keepReporting }
    func rejected(status: Int, message: String) async -> ReportSourceDecision { .keepReporting }
    func whileDisabled() async -> ReportSourceDecision { .keepReporting }
}
