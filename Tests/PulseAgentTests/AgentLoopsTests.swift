import Logging
import Synchronization
import Testing

@testable import PulseAgent

/// The agent's loop runner: who stops whom, and what reaches the caller.
@Suite("Agent loops: stop on request, on a loop's end or error")
struct AgentLoopsTests {
    struct Broken: Error {}

    /// Names of the loops that saw the stop, shared with them.
    final class Stopped: Sendable {
        private let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var sorted: [String] { names.withLock { $0.sorted() } }
    }

    /// A flag shared with a loop.
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    /// A loop that waits between steps until a stop is asked for, counting that it saw it.
    static func waitingLoop(_ stopped: Stopped, _ name: String) -> @Sendable () async throws -> Void {
        {
            let shutdown = ShutdownSignal.current
            while !shutdown.isRequested {
                try? await shutdown.cancellingOnRequest { try await Task.sleep(for: .seconds(3600)) }
            }
            stopped.append(name)
        }
    }

    @Test func aLoopThatEndsForAllStopsTheOthersAfterTheirCurrentStep() async throws {
        let stopped = Stopped()
        var loops = AgentLoops(logger: Logger(label: "test"))
        loops.signals = []
        loops.add("docker", whenDone: .othersCarryOn, Self.waitingLoop(stopped, "docker"))
        loops.add("health", whenDone: .othersCarryOn, Self.waitingLoop(stopped, "health"))
        loops.add("self-update", whenDone: .allStop) {}
        try await loops.run()
        #expect(stopped.sorted == ["docker", "health"])
    }

    @Test func aLoopThatEndsAloneLeavesTheOthersRunningUntilAStopIsAskedFor() async throws {
        let stopped = Stopped()
        let ended = Flag()
        let shutdown = ShutdownSignal()
        var loops = AgentLoops(logger: Logger(label: "test"))
        loops.signals = []
        loops.add("host", whenDone: .allStop, Self.waitingLoop(stopped, "host"))
        loops.add("kubernetes", whenDone: .othersCarryOn) { ended.set() }
        let running = loops
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await running.run(shutdown: shutdown) }
            while !ended.isSet { await Task.yield() }
            #expect(!shutdown.isRequested, "a module that went away does not stop host reporting")
            #expect(stopped.sorted.isEmpty)
            shutdown.request()
            try await group.waitForAll()
        }
        #expect(stopped.sorted == ["host"])
    }

    @Test func anErrorStopsEveryLoopAndReachesTheCaller() async throws {
        let stopped = Stopped()
        var loops = AgentLoops(logger: Logger(label: "test"))
        loops.signals = []
        loops.add("host", whenDone: .allStop, Self.waitingLoop(stopped, "host"))
        loops.add("docker", whenDone: .othersCarryOn) { throw Broken() }
        await #expect(throws: Broken.self) { try await loops.run() }
        #expect(stopped.sorted == ["host"])
    }

    @Test func theHealthPagesStopWithTheOtherLoops() async throws {
        let status = AgentStatus()
        let responder = HealthResponder(status: status, version: "test", intervalSeconds: 10, startedAt: status.now())
        var loops = AgentLoops(logger: Logger(label: "test"))
        loops.signals = []
        let health = HealthEndpoint(address: ListenAddress(host: "127.0.0.1", port: 0), responder: responder, logger: Logger(label: "test"))
        loops.add("health", whenDone: .othersCarryOn) { try await health.run() }
        loops.add("host", whenDone: .allStop) {}
        try await loops.run()  // returns only once the health thread's accept() has been ended
    }

    @Test func cancellingOnRequestEndsAWaitButNotAFinishedStep() async throws {
        let shutdown = ShutdownSignal()
        #expect(try await shutdown.cancellingOnRequest { 42 } == 42)
        shutdown.request()
        await #expect(throws: CancellationError.self) {
            try await shutdown.cancellingOnRequest { try await Task.sleep(for: .seconds(3600)) }
        }
        await shutdown.wait()  // returns at once once requested
    }
}
