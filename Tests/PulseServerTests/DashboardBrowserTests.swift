import Foundation
import TestSupport
import Testing

/// The dashboard in Debian's chromium, driven by Selenium (Fixtures/tools/dashboard-browser.py):
/// a real `pulse` fed by fakepve and a local `pulse-agent` (a host's page from its row, an alert
/// override through its form, the settings sections), single sign-on at oidc-provider-mock, the
/// first run of an empty server, and 5,000 demo guests sorted and searched. Screenshots land in
/// `.build/test-artifacts/`; the page weight and first-render times are printed.
@Suite("Dashboard in a real browser")
struct DashboardBrowserTests {
    static let repository = PeerProcess.repository

    @Test(.timeLimit(.minutes(5)))
    func logInSeeTheStateAcknowledgeAnAlertAddATokenAndSignInWithSSO() async throws {
        let build = Self.repository.appendingPathComponent(".build")
        let python = build.appendingPathComponent("test-data/selenium-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/selenium-venv.sh (make test does)")
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "Debian's chromium-driver is missing (make test installs it)")
        let provider = try await ChildProcess.run("/bin/bash", [Self.repository.appendingPathComponent("scripts/oidc-provider-venv.sh").path])
        let providerPython = provider.text.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(provider.status == 0 && !providerPython.isEmpty, "scripts/oidc-provider-venv.sh failed: \(provider.text)")
        let run = try await ChildProcess.run(
            python,
            [
                Self.repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools/dashboard-browser.py").path,
                "--pulse", build.appendingPathComponent("debug/pulse").path,
                "--agent", build.appendingPathComponent("debug/pulse-agent").path,
                "--peer-python", build.appendingPathComponent("test-data/fakepve-venv/bin/python").path,
                "--peer", Self.repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools/pve-peer.py").path,
                "--oidc-provider", URL(fileURLWithPath: providerPython).deletingLastPathComponent().appendingPathComponent("oidc-provider-mock").path,
                "--artifacts", build.appendingPathComponent("test-artifacts").path,
            ], mergingErrors: true)
        #expect(run.status == 0, "dashboard-browser.py: \(run.text)")
        #expect(run.text.contains("page weight:"))
        #expect(run.text.contains("live feed: permessage-deflate"))
        // The measurements (not asserted beyond the page weight's bound), the live feed's compression
        // and where the screenshots are.
        for line in run.text.split(separator: "\n")
        where line.hasPrefix("page weight") || line.contains("first render") || line.hasPrefix("screenshots") || line.hasPrefix("live feed") {
            print("dashboard: \(line)")
        }
    }
}
