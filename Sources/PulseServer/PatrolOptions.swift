import ArgumentParser
import Foundation
import PulseAPI

/// The flags of patrol and the license, with their variables; a flag wins over its variable.
struct PatrolOptions: ParsableArguments {
    @Option(
        name: .customLong("patrol-interval"),
        help: "Minutes between patrol runs, 0 for none (POST /api/ai/patrol/run still runs one); 1–10080. (env: PULSE_PATROL_INTERVAL; default 15)")
    var interval: Int?

    @Option(
        name: .customLong("patrol-backup-max-age"),
        help: "Hours a guest's newest backup may be old before patrol reports it, 1–8760. (env: PULSE_PATROL_BACKUP_MAX_AGE_HOURS; default 168)")
    var backupMaxAgeHours: Int?

    @Option(
        name: .customLong("patrol-notify"),
        help:
            "Whether new warning or critical patrol findings go to the notification channels, true or false. (env: PULSE_PATROL_NOTIFY; default true)"
    )
    var notify: String?

    @Option(
        name: .customLong("license-public-key"),
        help:
            "The Ed25519 public key (32 bytes, base64) license documents must be signed with; without it no license is accepted. (env: PULSE_LICENSE_PUBLIC_KEY)"
    )
    var licensePublicKey: String?

    /// Patrol's settings and the license key's text.
    func resolve(environment: [String: String]) throws -> ServerConfiguration.PatrolConfiguration {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        var result = ServerConfiguration.PatrolConfiguration()
        if let text = value(interval.map { String($0) }, "PULSE_PATROL_INTERVAL") {
            guard let minutes = Int(text), (0...10_080).contains(minutes) else {
                throw ValidationError("PULSE_PATROL_INTERVAL must be whole minutes from 0 to 10080, got '\(text)'")
            }
            result.interval = minutes == 0 ? nil : .seconds(minutes * 60)
        }
        if let text = value(backupMaxAgeHours.map { String($0) }, "PULSE_PATROL_BACKUP_MAX_AGE_HOURS") {
            guard let hours = Int(text), (1...8760).contains(hours) else {
                throw ValidationError("PULSE_PATROL_BACKUP_MAX_AGE_HOURS must be whole hours from 1 to 8760, got '\(text)'")
            }
            result.backupMaxAge = TimeInterval(hours) * 3600
        }
        if let text = value(notify, "PULSE_PATROL_NOTIFY") {
            switch text.lowercased() {
            case "true", "1", "yes", "on": result.notify = true
            case "false", "0", "no", "off": result.notify = false
            default: throw ValidationError("PULSE_PATROL_NOTIFY must be true or false, got '\(text)'")
            }
        }
        if let text = value(licensePublicKey, "PULSE_LICENSE_PUBLIC_KEY") {
            guard LicenseDocument.publicKey(from: text) != nil else {
                throw ValidationError("PULSE_LICENSE_PUBLIC_KEY must be base64 of a 32-byte Ed25519 key or a PEM public key")
            }
            result.licensePublicKey = text
        }
        return result
    }
}
