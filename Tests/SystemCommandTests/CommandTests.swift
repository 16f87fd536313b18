import Foundation
import SystemCommand
import Testing

@Suite("Running programs without a shell")
struct CommandTests {
    @Test func capturesOutputAndExitStatus() async throws {
        let echo = try await Command.run("/bin/sh", ["-c", "printf hello; exit 3"])
        #expect(echo.text == "hello" && echo.status == 3)
    }

    @Test func aProgramThatOverrunsItsTimeIsKilled() async throws {
        let started = ContinuousClock.now
        await #expect(throws: Command.Failure.self) { _ = try await Command.run("/bin/sleep", ["5"], timeout: .milliseconds(200)) }
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func aProgramThatClosesItsOutputAndHangsIsStillKilledInTime() async throws {
        let started = ContinuousClock.now
        await #expect(throws: Command.Failure.self) {
            _ = try await Command.run("/bin/sh", ["-c", "exec >&-; sleep 5"], timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func theTimeoutAlsoEndsWhatTheProgramStarted() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-child-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        // The shell's child outlives it unless the whole process group is killed.
        await #expect(throws: Command.Failure.self) {
            _ = try await Command.run("/bin/sh", ["-c", "(sleep 1; touch '\(marker.path)') & sleep 5"], timeout: .milliseconds(200))
        }
        try await Task.sleep(for: .milliseconds(1500))
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
    /// printf "did not finish within 10 s" beside a test running sleep).
    @Test func programsStartedAtOnceDoNotHoldEachOthersOutputOpen() async throws {
        let slowest = try await withThrowingTaskGroup(of: Duration?.self) { group in
            for index in 0..<48 {
                if index % 6 == 0 {
                    group.addTask { _ = try await Command.run("/bin/sleep", ["4"], timeout: .seconds(20)); return nil }
                } else {
                    group.addTask {
                        let started = ContinuousClock.now
                        let result = try await Command.run("/bin/printf", ["%s", "x"], timeout: .seconds(20))
                        #expect(result.text == "x")
                        return ContinuousClock.now - started
                    }
                }
            }
            var slowest = Duration.zero
            for try await duration in group { if let duration { slowest = max(slowest, duration) } }
            return slowest
        }
        // With inherited pipes a printf waits for a 4 s sleep; on its own it takes milliseconds.
        #expect(slowest < .seconds(3), "the slowest printf took \(slowest)")
    }
}
