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
}
