import CurlHTTP
import Foundation
import Notifications

/// Reads the release feed and downloads archives over libcurl: TLS verified, no redirects, and
/// only to public addresses unless the operator allowed a private range (the feed is the
/// operator's choice, but an archive URL is the feed's).
struct ReleaseFeedClient: Sendable {
    let settings: UpdateSettings

    /// The feed cannot be read, or an archive not downloaded.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Feeds are small; a larger answer is not one.
    static let maximumFeedBytes = 1 << 20
    /// Without a size in the feed, an archive may be this large.
    static let maximumArchiveBytes = 512 << 20

    func feed() async throws -> ReleaseFeed {
        guard let url = settings.feedURL else { throw Failure(description: "No release feed is configured (PULSE_UPDATE_SERVER)") }
        let reply = try await get(url, limit: Self.maximumFeedBytes, timeout: settings.feedTimeout, what: "the release feed")
        do {
            return try ReleaseFeed(json: reply)
        } catch {
            throw Failure(description: "the release feed at \(Self.shown(url)) is not a feed document: \(error)")
        }
    }

    /// The archive's bytes; more than the feed's `size` (or the default cap) is refused.
    func download(_ archive: ReleaseFeed.Archive) async throws -> [UInt8] {
        try await get(
            archive.url, limit: archive.size.map { max($0, 1) } ?? Self.maximumArchiveBytes, timeout: settings.downloadTimeout,
            what: "the archive")
    }

    private func get(_ url: String, limit: Int, timeout: Duration, what: String) async throws -> [UInt8] {
        let what = "\(what) at \(Self.shown(url))"
        let target: OutboundTarget
        do {
            target = try OutboundTarget.check(url, allowing: settings.allowedPrivateTargets)
        } catch {
            throw Failure(description: "\(what) may not be fetched (private ranges need PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS): \(error)")
        }
        var client = CurlClient(userAgent: "pulse-updater", timeout: timeout, maximumBodyBytes: limit)
        client.resolve = target.resolve
        let reply: HTTPReply
        do {
            reply = try await client.get(url, headers: ["Accept: application/json, application/gzip"])
        } catch {
            throw Failure(description: "\(what) could not be fetched: \(error)")
        }
        guard reply.status == 200 else {
            let redirect = (300..<400).contains(reply.status) ? " (redirects are not followed)" : ""
            throw Failure(description: "\(what) answered HTTP \(reply.status)\(redirect)")
        }
        return reply.body
    }

    /// `url` as messages and logs show it: without a query or credentials, which may hold a token.
    static func shown(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "the configured URL" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? "the configured URL"
    }
}
