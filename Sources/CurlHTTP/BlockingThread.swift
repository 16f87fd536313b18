#if canImport(Glibc)
import Glibc
#endif

/// Runs a blocking call (a libcurl transfer, a `smartctl` run) on a thread of its own, so the
/// awaiting task does not tie up one of Swift concurrency's few threads for seconds.
public enum BlockingThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job { continuation.resume(with: Result { try work() }) }
            let context = Unmanaged.passRetained(job).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(
                &thread, nil,
                { context in
                    let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                    job.body()
                    return nil
                }, context)
            if created != 0 {
                Unmanaged<Job>.fromOpaque(context).release()
                continuation.resume(throwing: TransportError(description: "cannot start a thread (error \(created))"))
            } else {
                pthread_detach(thread)
            }
        }
    }

    private final class Job: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
