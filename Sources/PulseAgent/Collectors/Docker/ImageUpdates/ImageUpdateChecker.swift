import AgentProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whether each container's tag now points at another digest than the image it runs, asked of
/// the image's registry in the background, at most once per image per `interval` (6 hours).
///
/// A report never waits for a registry: `statuses(for:)` answers from what is known and notes
/// what is due; `run()` (one of the agent's loops) does the asking between reports. A registry that is down
/// or refuses (401, 429) is one container's `error`, never the report's.
actor ImageUpdateChecker {
    /// A container's image: the name it was started from and the local image's ID.
    struct ContainerImage: Hashable, Sendable {
        var name: String
        var imageID: String
    }

    private struct RegistryAnswer {
        var checkedAt: Date
        var outcome: Result<String, RegistryCheckError>
    }

    static let defaultInterval: TimeInterval = 6 * 3600

    private let registry: any RegistryLookup
    /// The local image's `RepoDigests` (`name@sha256:…`); nil when the image cannot be read.
    private let repoDigests: @Sendable (String) async -> [String]?
    private let interval: TimeInterval
    private let now: @Sendable () -> Date

    private var answers: [ImageReference: RegistryAnswer] = [:]
    private var localDigests: [String: [String]] = [:]
    private var pending: Set<ContainerImage> = []
    /// Answers older than this are due at once (`checkNow`).
    private var forcedAt: Date?
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(
        registry: any RegistryLookup, repoDigests: @escaping @Sendable (String) async -> [String]?,
        interval: TimeInterval = defaultInterval, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.registry = registry
        self.repoDigests = repoDigests
        self.interval = interval
        self.now = now
        let stream = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeups = stream.stream
        wake = stream.continuation
    }

    /// Each container's status as far as it is known (nil: not checked yet, pinned to a digest,
    /// a Podman-local `localhost/` image, or never pulled from a registry). Notes what is due
    /// and wakes `run()`; forgets images no container uses any more.
    func statuses(for images: [ContainerImage]) -> [ImageUpdateStatus?] {
        let references = Set(images.compactMap { ImageReference($0.name) })
        answers = answers.filter { references.contains($0.key) }
        let imageIDs = Set(images.map(\.imageID))
        localDigests = localDigests.filter { imageIDs.contains($0.key) }
        let statuses = images.map { image -> ImageUpdateStatus? in
            guard let reference = ImageReference(image.name), reference.isCheckable, !image.imageID.isEmpty else { return nil }
            guard let local = localDigests[image.imageID] else {
                pending.insert(image)
                return nil
            }
            let current = Self.digests(local, of: reference)
            guard !current.isEmpty else { return nil }
            if isDue(reference) { pending.insert(image) }
            return answers[reference].map { Self.status(current: current, answer: $0) }
        }
        if !pending.isEmpty { wake.yield() }
        return statuses
    }

    /// Makes every image due now (the server's `check_updates` command), bypassing the interval.
    func checkNow() {
        forcedAt = now()
        wake.yield()
    }

    func run() async throws {
        let wakeups = self.wakeups
        _ = try? await ShutdownSignal.current.cancellingOnRequest {
            for await _ in wakeups { await self.checkDue() }
        }
    }

    /// One pass over what is due: reads the local images' digests, then asks each registry
    /// once per image name. Tests call it directly.
    func checkDue() async {
        let work = pending
        pending = []
        var asked: Set<ImageReference> = []
        for image in work {
            guard let reference = ImageReference(image.name) else { continue }
            let due = isDue(reference)
            if localDigests[image.imageID] == nil || due {
                // Kept, not replaced: a digest names this image's content for good, but Podman stops
                // listing it once the tag moves to another image (a newer pull or build), and that is
                // exactly when the comparison matters.
                let known = localDigests[image.imageID] ?? []
                let read = await repoDigests(image.imageID) ?? []
                localDigests[image.imageID] = known + read.filter { !known.contains($0) }
            }
            let current = Self.digests(localDigests[image.imageID] ?? [], of: reference)
            guard due, !current.isEmpty, !asked.contains(reference) else { continue }
            asked.insert(reference)
            let outcome: Result<String, RegistryCheckError>
            do {
                outcome = .success(try await registry.latestDigest(of: reference))
            } catch let error as RegistryCheckError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(RegistryCheckError(description: "\(error)"))
            }
            answers[reference] = RegistryAnswer(checkedAt: now(), outcome: outcome)
            // An image can have several digests (Podman lists the one it pushed and the one it
            // pulled); the one the registry confirmed goes first, so it is the one reported as
            // current once the tag moves on.
            if case .success(let latest) = outcome, let known = localDigests[image.imageID],
                let index = known.firstIndex(where: { $0.hasSuffix("@" + latest) })
            {
                localDigests[image.imageID] = [known[index]] + known.enumerated().filter { $0.offset != index }.map(\.element)
            }
        }
    }

    private func isDue(_ reference: ImageReference) -> Bool {
        guard let answer = answers[reference] else { return true }
        if let forcedAt, answer.checkedAt < forcedAt { return true }
        return now().timeIntervalSince(answer.checkedAt) >= interval
    }

    /// The digests among `repoDigests` that belong to `reference`'s repository.
    static func digests(_ repoDigests: [String], of reference: ImageReference) -> [String] {
        repoDigests.compactMap { entry in
            guard let pinned = ImageReference(entry), pinned.sameRepository(as: reference) else { return nil }
            return pinned.digest
        }
    }

    private static func status(current: [String], answer: RegistryAnswer) -> ImageUpdateStatus {
        switch answer.outcome {
        case .success(let latest):
            let upToDate = current.contains(latest)
            return ImageUpdateStatus(
                updateAvailable: !upToDate, currentDigest: upToDate ? latest : current.first, latestDigest: latest,
                lastChecked: answer.checkedAt)
        case .failure(let error):
            return ImageUpdateStatus(
                updateAvailable: false, currentDigest: current.first, lastChecked: answer.checkedAt, error: error.description)
        }
    }
}
