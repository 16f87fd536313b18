import AgentProtocol
import Foundation
import PulseSupport

/// Which token owns a record, and the bounds on new records.
///
/// A host, Docker host or cluster belongs to the token that enrolled it. Another token that
/// reports the same identity is refused with 409 `identity_conflict` until an administrator
/// deletes the record (and, within the block, allows re-enrolment): before, a second report
/// token could take over any machine by copying its hostname or IDs.
extension MonitoringState {
    /// Throws `identity_conflict` when `owner` (the record's token) is not `token`.
    func requireOwnership(of owner: ReportingToken?, kind: String, id: String, by token: ReportingToken?) throws {
        guard owner?.id != token?.id else { return }
        throw DomainError(
            .conflict, code: .identityConflict,
            message: "\(kind) \(id) was enrolled with another API token; delete it in Pulse (then allow re-enrolment) to enrol it with this token",
            details: ["id": id])
    }

    /// Throws `limit_exceeded` when a new record would pass the token's or the server's limit.
    func requireRoomForNewRecord(token: ReportingToken?) throws {
        let total = hosts.count + dockerHosts.count + kubernetesClusters.count
        if total >= limits.totalRecords {
            throw DomainError(
                .forbidden, code: .limitExceeded,
                message: "This server holds \(total) agent records, its limit (PULSE_MAX_AGENT_RECORDS); remove some or raise the limit",
                details: ["limit": "totalRecords", "value": String(limits.totalRecords)])
        }
        guard let token else { return }
        let owned =
            hosts.values.count { $0.token?.id == token.id } + dockerHosts.values.count { $0.token?.id == token.id }
            + kubernetesClusters.values.count { $0.token?.id == token.id }
        if owned >= limits.recordsPerToken {
            throw DomainError(
                .forbidden, code: .limitExceeded,
                message: "API token \(token.name) has enrolled \(owned) agents, its limit (PULSE_MAX_AGENTS_PER_TOKEN)",
                details: ["limit": "recordsPerToken", "value": String(limits.recordsPerToken)])
        }
    }
}
