import Foundation
import TestSupport
import Testing

/// The dashboard in Debian's chromium, driven by Selenium (Fixtures/tools/dashboard-browser.py):
/// a real `pulse` fed by fakepve and a local `pulse-agent`, then single sign-on at oidc-provider-mock. Screenshots land in
/// `.build/test-artifacts/`.
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
    }
}
