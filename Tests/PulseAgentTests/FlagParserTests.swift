import Glibc
import Testing

@testable import PulseAgent

@Suite("Command line read as Go's flag package reads it")
struct FlagParserTests {
    let parser = FlagParser(specs: [
        .value("url", "URL", help: "server"),
        .value("interval", "DURATION", help: "interval"),
        .bool("insecure", help: "skip TLS checks"),
        .bool("enable-docker", negatable: true, help: "docker"),
        .repeatable("tag", "TAG", help: "tags"),
    ])

    @Test func oneDashOrTwoWithTheValueAfterOrAfterAnEqualsSign() throws {
        for line in [
            ["-url", "http://pulse:7655", "-interval=30s"], ["--url", "http://pulse:7655", "--interval", "30s"],
            ["--url=http://pulse:7655", "-interval", "30s"],
        ] {
            let parsed = try parser.parse(line)
            #expect(parsed.value("url") == "http://pulse:7655", "\(line)")
            #expect(parsed.value("interval") == "30s", "\(line)")
            #expect(parsed.warnings.isEmpty)
        }
    }

    @Test func booleansTakeGoSpellingsAndANoPrefixWhenNegatable() throws {
        #expect(try parser.parse(["-insecure"]).booleans == ["insecure": true])
        #expect(try parser.parse(["--insecure=false"]).booleans == ["insecure": false])
        #expect(try parser.parse(["-enable-docker=T", "--no-enable-docker"]).booleans == ["enable-docker": false])
        #expect(try parser.parse(["-enable-docker=1"]).booleans == ["enable-docker": true])
        #expect(throws: FlagParser.UsageError.self) { try parser.parse(["-insecure=maybe"]) }
        // `--no-insecure` is not an option (insecure is not negatable): skipped with a warning.
        #expect(try parser.parse(["--no-insecure"]).warnings == ["ignoring unknown option '--no-insecure'"])
    }

    @Test func repeatedValuesAreAllKeptAndAMissingValueIsAUsageError() throws {
        #expect(try parser.parse(["--tag", "a", "-tag=b"]).all("tag") == ["a", "b"])
        #expect(throws: FlagParser.UsageError(description: "-url needs a value")) { try parser.parse(["-url"]) }
    }

    @Test func unknownOptionsAreSkippedWithTheirValueAndNamedInAWarning() throws {
        let parsed = try parser.parse([
            "--enable-proxmox", "--proxmox-type", "pve", "-future=1", "--url", "http://x", "--enable-commands", "-insecure",
        ])
        #expect(parsed.value("url") == "http://x")
        #expect(parsed.booleans == ["insecure": true])
        #expect(
            parsed.warnings == [
                "ignoring unknown option '--enable-proxmox'", "ignoring unknown option '--proxmox-type' and the value after it",
                "ignoring unknown option '-future'", "ignoring unknown option '--enable-commands'",
            ])
        #expect(parsed.positional.isEmpty)
    }

    @Test func everythingAfterADoubleDashIsPositional() throws {
        let parsed = try parser.parse(["-url", "http://x", "--", "-insecure", "file"])
        #expect(parsed.positional == ["-insecure", "file"])
        #expect(parsed.booleans.isEmpty)
    }

    @Test func helpListsEveryShownOptionWithItsValueAndHidesTheHidden() {
        var specs = parser.specs
        specs.append(.bool("secret-knob", help: "not shown", hidden: true))
        let text = UsageText.render(command: "pulse-agent", abstract: "Reports.", specs: specs)
        #expect(text.contains("--url <URL>"))
        #expect(text.contains("--[no-]enable-docker"))
        #expect(text.contains("--tag <TAG> (repeatable)"))
        #expect(text.contains("--help"))
        #expect(!text.contains("secret-knob"))
    }
}

@Suite("Environment without Foundation")
struct ProcessEnvironmentTests {
    @Test func matchesWhatGetenvSees() {
        let variables = ProcessEnvironment.current()
        #expect(!variables.isEmpty)
        for name in ["PATH", "HOME"] {
            #expect(variables[name] == getenv(name).map { String(cString: $0) })
        }
        setenv("PULSE_TEST_VARIABLE", "a=b", 1)
        #expect(ProcessEnvironment.current()["PULSE_TEST_VARIABLE"] == "a=b", "only the first = separates name and value")
        unsetenv("PULSE_TEST_VARIABLE")
    }
}
