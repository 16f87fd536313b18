import Foundation
import Notifications
import Patrol
import ProxmoxPolling
import PulseCore
import PulseSupport

/// Announces new patrol findings through the notification channels alerts use (webhooks, email,
/// Apprise): each finding as an alert of type `patrol-<detector>`, in one message per run.
struct PatrolNotifications: FindingNotifier {
    let notifier: Notifier
    let time: any TimeSource

    func notify(_ findings: [Finding]) async {
        let alerts = findings.map(Self.alert)
        await notifier.enqueue(NotificationMessage(kind: alerts.count == 1 ? .fired : .grouped, alerts: alerts, at: time.now()))
    }

    /// A finding in the shape notification templates read.
    static func alert(_ finding: Finding) -> Alert {
        Alert(
            id: "patrol-\(finding.id)", type: "patrol-\(finding.detector)", level: finding.severity == .critical ? .critical : .warning,
            resourceId: finding.resourceId, resourceName: finding.resourceName, node: finding.node, instance: "",
            message: "\(finding.title). \(finding.recommendation)", value: 0, threshold: 0, startTime: finding.detectedAt,
            lastSeen: finding.lastSeenAt, acknowledged: false)
    }
}

/// The configured instances' certificates for patrol's expiry check.
struct PatrolCertificates: CertificateSource {
    let reader: InstanceCertificates

    func certificates() async -> [CertificateReading] {
        await reader.expiries().map { CertificateReading(instance: $0.instance, host: $0.host, notAfter: $0.notAfter) }
    }
}
