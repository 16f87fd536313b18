import Foundation
import Synchronization
import SystemCommand
import Testing

@Suite("Running programs without a shell")
struct CommandTests {
    @Test func capturesOutputAndExitStatus() async throws {
        let echo = try await Command.run("/bin/sh", ["-c", "printf hello; exit 3"])
        #expect(echo.text == "hello" && echo.status == 3)
    }

    /// Had the program not been killed, `sleep` would end normally and `run` return its status.
    @Test func aProgramThatOverrunsItsTimeIsKilled() async throws {
        await #expect(throws: Command.Failure.self) { _ = try await Command.run("/bin/sleep", ["5"], timeout: .milliseconds(200)) }
    }

    @Test func aProgramThatClosesItsOutputAndHangsIsStillKilledInTime() async throws {
        await #expect(throws: Command.Failure.self) {
            _ = try await Command.run("/bin/sh", ["-c", "exec >&-; sleep 5"], timeout: .milliseconds(300))
        }
    }

    @Test func theTimeoutAlsoEndsWhatTheProgramStarted() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-child-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        // The shell's child outlives it unless the whole process group is killed. The kill comes
        // 0.2 s in, on a thread of its own; the child would touch the marker 2 s in.
        let started = ContinuousClock.now
        await #expect(throws: Command.Failure.self) {
            _ = try await Command.run("/bin/sh", ["-c", "(sleep 2; touch '\(marker.path)') & sleep 30"], timeout: .milliseconds(200))
        }
        try await Task.sleep(until: started + .seconds(3), clock: .continuous)  // waiting on an external process
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test func outputIsCappedAndTheProgramStopped() async throws {
        await #expect(throws: Command.Failure.self) {
            _ = try await Command.run("/bin/sh", ["-c", "yes"], timeout: .seconds(5), maximumOutput: 4096)
        }
    }

    @Test func argumentsReachTheProgramAsTheyAreWithoutAShell() async throws {
        let hostile = "x; touch /tmp/never-$$ `id` $(id) && echo pwned"
        let result = try await Command.run("/bin/printf", ["%s", hostile])
        #expect(result.text == hostile)
    }

    @Test func onlyAbsolutePathsRunAndMissingProgramsFail() async throws {
        await #expect(throws: Command.Failure.self) { _ = try await Command.run("sh", ["-c", "true"]) }
        await #expect(throws: Command.Failure.self) { _ = try await Command.run("/no/such/tool", []) }
    }

    @Test func findLooksUpNamesOnASearchPathAndChecksPaths() {
        #expect(Command.find("sh", searchPath: "relative:/bin") == "/bin/sh")
        #expect(Command.find("/bin/sh", searchPath: "") == "/bin/sh")
        #expect(Command.find("bin/sh", searchPath: "/") == nil)
        #expect(Command.find("-Ssh -c id", searchPath: "/bin:/usr/bin") == nil)
    }

    /// A program started on another thread at the same moment must not inherit this one's output
    /// pipe: it would hold the pipe open, and the reader would wait for it to exit (found when a
    /// printf "did not finish within 10 s" beside a test running sleep). Checked by order, not
    /// by time: every printf must be done while the sleeps it ran beside still run.
    @Test func programsStartedAtOnceDoNotHoldEachOthersOutputOpen() async throws {
        final class Count: Sendable { let value = Mutex(0) }
        let sleepsEnded = Count()
        let printsDoneAfterASleepEnded = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<48 {
                if index % 6 == 0 {
                    group.addTask {
                        _ = try? await Command.run("/bin/sleep", ["60"], timeout: .seconds(12))
                        sleepsEnded.value.withLock { $0 += 1 }
                        return 0
                    }
                } else {
                    group.addTask {
                        let result = try await Command.run("/bin/printf", ["%s", "x"], timeout: .seconds(60))
                        #expect(result.text == "x")
                        return sleepsEnded.value.withLock { $0 } > 0 ? 1 : 0
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(printsDoneAfterASleepEnded == 0, "a printf waited for a sleep it ran beside")
    }

    /// The program gets standard input, output and error, nothing else the process has open.
    @Test func theProgramInheritsNoOtherDescriptor() async throws {
        let descriptor = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        try #require(descriptor > 2)
        defer { close(descriptor) }
        let result = try await Command.run("/bin/sh", ["-c", "[ -e /proc/$$/fd/\(descriptor) ] && echo inherited || echo closed"])
        #expect(result.text == "closed\n")
    }
}
