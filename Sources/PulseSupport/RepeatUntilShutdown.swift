import ServiceLifecycle

/// The loop of a periodic `Service`: waits `interval`, then runs `tick`, until the service group
/// shuts down gracefully (the wait is cut short then, and no tick starts) or the task is cancelled.
package func repeatUntilShutdown(every interval: Duration, _ tick: () async -> Void) async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        guard !Task.isShuttingDownGracefully else { return }
        await tick()
    }
}
