package import Foundation
package import ProxmoxPolling
import PulseCore

/// The body of `GET /api/diagnostics`: what a maintainer asks for first in a bug report, with
/// every secret left out (the configuration as `/api/config` shows it, log lines redacted).
package struct DiagnosticsReport: Encodable, Sendable {
    package struct Runtime: Encodable, Sendable {
        /// Resident memory of the server process (`VmRSS`), bytes; nil where unreadable.
        var memoryRSSBytes: Int?
        /// Open file descriptors (sockets, database files, logs); nil where unreadable.
        var openFiles: Int?
        var swiftVersion: String
    }

    package struct DatabaseFile: Encodable, Sendable {
        var name: String
        var bytes: Int
    }

    /// Long-running work by kind: one Proxmox poll loop per instance, live log followers.
    package struct Tasks: Encodable, Sendable {
        var proxmoxPollers: Int
        var logFollowers: Int
    }

    package struct Agents: Encodable, Sendable {
        var hosts: Int
        var dockerHosts: Int
        var kubernetesClusters: Int
        /// Reporting agents (hosts, Docker hosts, clusters) per agent version; `unknown` when none was sent.
        var byVersion: [String: Int]
    }

    var generatedAt: Date
    var version: String
    var build: String
    var startedAt: Date
    var uptimeSeconds: Int
    var runtime: Runtime
    var configuration: ConfigSummaryRoutes.Summary
    /// Each Proxmox instance's connectivity, breaker and last error, as the scheduler sees it.
    var proxmox: [SchedulerHealthView.Instance]
    var database: [DatabaseFile]
    var tasks: Tasks
    var agents: Agents
    /// Prometheus remote write: receiver (without user information), whether credentials are
    /// sent, counts and the queue; absent when it is off.
    var remoteWrite: RemoteWriteStatistics?
    /// The newest error and critical log lines (at most 50), redacted.
    var recentErrors: [LogLine]
    /// What could not be read for this report.
    var errors: [String]
}
