#if canImport(Glibc)
import Glibc
#endif

/// Runs a blocking call (a libcurl transfer, a `smartctl` run) on a thread of its own, so the
/// awaiting task does not tie up one of Swift concurrency's few threads for seconds.
public enum BlockingThread {
    /// `niceness` above zero lowers that thread's scheduling priority (on Linux the nice value
    /// belongs to each thread; `who` 0 is the calling one): for work that may wait while the rest
    /// of the process needs the CPU.
    public static func run<T: Sendable>(niceness: Int32 = 0, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job {
                if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
                continuation.resume(with: Result { try work() })
            }
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
