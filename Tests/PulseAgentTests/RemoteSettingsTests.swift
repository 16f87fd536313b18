import AgentJSONFoundation
import AgentProtocol
import CurlHTTP
import Foundation
import Synchronization
import Testing

@testable import PulseAgent

@Suite("The server's settings applied by the agent")
struct RemoteSettingsTests {
    static func local() -> RemoteSettings {
        let settings = RemoteSettings(
            local: .init(
                intervalSeconds: 30, enableHost: true, diskExclude: ["/boot"],
                sensors: SensorSelection(include: ["coretemp-*/*"], exclude: [], primary: "coretemp-*/Package*")))
        settings.setAvailable(docker: true, kubernetes: false)
        return settings
    }

    @Test func theServerWinsForWhatItSetsAndAClearedKeyIsTheFlagAgain() {
        let settings = Self.local()
        #expect(
            settings.effective
                == HostAgentSettings(
                    intervalSeconds: 30, enableHost: true, enableDocker: true, enableKubernetes: false, diskExclude: ["/boot"],
                    sensorInclude: ["coretemp-*/*"], sensorExclude: []))
        #expect(settings.apply(HostAgentSettings(intervalSeconds: 60, enableDocker: false, enableKubernetes: true, sensorExclude: ["acpitz-*/*"])))
        #expect(!settings.apply(HostAgentSettings(intervalSeconds: 60, enableDocker: false, enableKubernetes: true, sensorExclude: ["acpitz-*/*"])))
        let applied = settings.effective
        #expect(applied.intervalSeconds == 60 && settings.interval == .seconds(60))
        #expect(applied.enableDocker == false && !settings.isEnabled(.docker))
        #expect(applied.enableKubernetes == false && !settings.isEnabled(.kubernetes), "no Kubernetes loop was set up: it stays off")
        #expect(applied.diskExclude == ["/boot"], "not set by the server: the flag's")
        #expect(settings.sensorSelection == SensorSelection(include: ["coretemp-*/*"], exclude: ["acpitz-*/*"], primary: "coretemp-*/Package*"))
        settings.apply(nil)
        #expect(settings.effective.intervalSeconds == 30 && settings.isEnabled(.docker), "none held: the flags again")
        settings.apply(HostAgentSettings(intervalSeconds: 0, diskExclude: Array(repeating: "x", count: 100)))
        #expect(settings.interval == .seconds(30), "an interval of 0 would spin: the flag's is kept")
        #expect(settings.effective.diskExclude?.count == 64)
    }

    /// A host source that never collects: replies and config fetches only.
    static func source(settings: RemoteSettings, uninstaller: AgentUninstaller? = nil, server: String = "http://127.0.0.1:1") -> HostReportSource {
        let sender = ReportSender(client: CurlClient(timeout: .seconds(2)), baseURL: server, token: "t")
        return HostReportSource(
            collector: HostCollector(settings: .init(root: SystemRoot("/nonexistent"))), settings: settings, sender: sender,
            uninstaller: uninstaller)
    }

    @Test func aReplysConfigAppliesForTheNextCycle() async throws {
        let settings = Self.local()
        let source = Self.source(settings: settings)
        let reply =
            #"{"success":true,"hostId":"h-1","lastSeen":"2026-01-01T00:00:00Z","config":{"commandsEnabled":true,"settings":{"interval":"5s","enable_host":false,"disk_exclude":["/mnt/*"]}}}"#
        #expect(await source.accepted(reply: Array(reply.utf8)) == .keepReporting)
        #expect(settings.interval == .seconds(5) && !settings.isEnabled(.host) && settings.effective.diskExclude == ["/mnt/*"])
        #expect(settings.hostID == "h-1")
        // A v5 server's reply: no config, so nothing is held any more.
        #expect(await source.accepted(reply: Array(#"{"success":true,"hostId":"h-1","lastSeen":"2026-01-01T00:00:00Z"}"#.utf8)) == .keepReporting)
        #expect(settings.interval == .seconds(30) && settings.isEnabled(.host))
    }

    @Test func anUninstallRequestRemovesTheInstalledFilesAndStopsTheLoop() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-uninstall-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        for folder in [
            "/etc/systemd/system/multi-user.target.wants", "/usr/local/bin", "/etc/pulse-agent", "/var/lib/pulse-agent/buffer", "/run/systemd/system",
            "/etc/keep",
        ] {
            try fm.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
        }
        for file in [
            "/etc/systemd/system/pulse-agent.service", "/usr/local/bin/pulse-agent", "/etc/pulse-agent/token",
            "/var/lib/pulse-agent/buffer/1-host.json", "/etc/keep/other",
        ] {
            #expect(fm.createFile(atPath: root + file, contents: Data("x".utf8)))
        }
        try fm.createSymbolicLink(
            atPath: root + "/etc/systemd/system/multi-user.target.wants/pulse-agent.service",
            withDestinationPath: "/etc/systemd/system/pulse-agent.service")
        let calls = CallLog()
        let sender = ReportSender(client: CurlClient(timeout: .seconds(2)), baseURL: "http://127.0.0.1:1", token: "t")
        var uninstaller = AgentUninstaller(root: root, sender: sender)
        uninstaller.run = { path, arguments in calls.append([path] + arguments) }
        uninstaller.find = { "/usr/bin/" + $0 }
        let source = Self.source(settings: Self.local(), uninstaller: uninstaller)
        let reply = #"{"success":true,"hostId":"h-1","lastSeen":"2026-01-01T00:00:00Z","config":{"uninstall":true}}"#
        let decision = await source.accepted(reply: Array(reply.utf8))
        #expect(decision == .stopReporting(reason: "the server asked this agent to uninstall itself"))
        for gone in AgentUninstaller.installedPaths {
            #expect(!fm.fileExists(atPath: root + gone), "\(gone)")
        }
        #expect(fm.fileExists(atPath: root + "/etc/keep/other"), "nothing else is touched")
        #expect(
            calls.values == [
                ["/usr/bin/systemctl", "disable", "pulse-agent.service"], ["/usr/bin/systemctl", "daemon-reload"],
                ["/usr/bin/systemctl", "stop", "--no-block", "pulse-agent.service"],
            ])
    }

    final class CallLog: Sendable {
        private let calls = Mutex<[[String]]>([])
        func append(_ call: [String]) { calls.withLock { $0.append(call) } }
        var values: [[String]] { calls.withLock { $0 } }
    }

    @Test func intervalsOnTheWireAreGoDurations() throws {
        for (text, seconds) in [
            ("30s", 30), ("1m", 60), ("1m30s", 90), ("2h", 7200), ("1500ms", nil), ("45", 45), ("", nil), ("5x", nil), ("s", nil),
        ] {
            #expect(WireDuration.seconds(text) == seconds, "\(text)")
        }
        let decoded = try AgentJSONDecoder().decode(HostAgentSettings.self, from: Array(#"{"interval":90,"enable_host":true}"#.utf8))
        #expect(decoded == HostAgentSettings(intervalSeconds: 90, enableHost: true))
        let encoded = String(decoding: try AgentJSON.makeEncoder().encode(HostAgentSettings(intervalSeconds: 60)), as: UTF8.self)
        #expect(encoded == #"{"interval":"60s"}"#)
    }
}
