package import Foundation
package import PulseCore

/// Something that happened to an alert, whether or not it was notified: what incident timelines
/// are made of.
package enum AlertActivity: Sendable, Equatable {
    case fired(Alert, at: Date)
    case acknowledged(Alert, user: String?, at: Date)
    case unacknowledged(Alert, at: Date)
    /// The condition ended, or a user cleared the alert.
    case resolved(Alert, at: Date)

    init(_ event: AlertEvent, at now: Date) {
        switch event {
        case .fired(let alert): self = .fired(alert, at: now)
        case .resolved(let alert, let time): self = .resolved(alert, at: time)
        }
    }
}

/// Told by the engine of every `AlertActivity`, after the change is saved. Like an
/// `AlertEventSink`, it never calls back into the engine.
package protocol AlertActivitySink: Sendable {
    func record(_ activity: [AlertActivity]) async
}
