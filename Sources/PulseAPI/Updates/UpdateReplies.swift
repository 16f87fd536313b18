/// The answer to `GET /api/updates/check`: Pulse's `UpdateInfo`, plus how this server is
/// deployed and whether it can install the update itself.
package struct UpdateInfo: Encodable, Sendable, Equatable {
    package let available: Bool
    package let currentVersion: String
    package let latestVersion: String
    package let releaseNotes: String
    /// RFC 3339; Go's zero time when the feed gives none.
    package let releaseDate: String
    /// The archive for this server's platform; empty when there is none.
    package let downloadUrl: String
    package let isPrerelease: Bool
    package let channel: String
    /// `systemd`, `docker` or `manual`: Docker installs pull a new image instead.
    package let deploymentType: String
    /// Whether `POST /api/updates/apply` can install it here.
    package let canAutoUpdate: Bool
    /// Why the answer is incomplete or the update cannot be applied here.
    package let warning: String?

    enum CodingKeys: String, CodingKey {
        case available, currentVersion, latestVersion, releaseNotes, releaseDate, downloadUrl, isPrerelease, channel
        case deploymentType, canAutoUpdate, warning
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(available, forKey: .available)
        try container.encode(currentVersion, forKey: .currentVersion)
        try container.encode(latestVersion, forKey: .latestVersion)
        try container.encode(releaseNotes, forKey: .releaseNotes)
        try container.encode(releaseDate, forKey: .releaseDate)
        try container.encode(downloadUrl, forKey: .downloadUrl)
        try container.encode(isPrerelease, forKey: .isPrerelease)
        try container.encode(channel, forKey: .channel)
        try container.encode(deploymentType, forKey: .deploymentType)
        try container.encode(canAutoUpdate, forKey: .canAutoUpdate)
        try container.encodeIfPresent(warning, forKey: .warning)  // omitted when empty, as Pulse does
    }
}

/// The answer to `GET /api/updates/plan` (the seed's shape): what applying a version involves here.
package struct UpdatePlan: Encodable, Sendable, Equatable {
    package let version: String
    package let channel: String
    package let canAutoUpdate: Bool
    package let requiresRoot: Bool
    package let rollbackSupport: Bool
    package let estimatedTime: String
    package let downloadUrl: String
    package let instructions: String
    package let prerequisites: [String]
    package let steps: [String]
}

/// The answer to `POST /api/updates/apply` and `/rollback`: the job is queued; its progress is
/// at `/api/updates/status` and `/api/updates/stream`, its record in the history under `eventId`.
package struct UpdateStarted: Encodable, Sendable {
    package var status = "started"
    package let message: String
    package let eventId: String
}

/// `GET /api/updates/history`.
package struct UpdateHistoryList: Encodable, Sendable {
    package let entries: [UpdateHistoryEntry]
}
