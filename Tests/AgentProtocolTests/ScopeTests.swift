import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

@Suite("Scopes")
struct ScopeTests {
    @Test func knownScopes() {
        #expect(
            Set(Scope.all.map(\.rawValue)) == [
                "monitoring:read", "monitoring:write", "docker:report", "docker:manage", "kubernetes:report",
                "kubernetes:manage", "host-agent:report", "host-agent:manage", "host-agent:config:read",
                "settings:read", "settings:write", "ai:execute", "ai:chat", "agent:exec",
            ])
        #expect(Scope.all.count == 14)
        #expect(!Scope.all.contains(.wildcard))
        #expect(Scope.wildcard.rawValue == "*")
        #expect(Scope.wildcard.isKnown)
        #expect(!Scope(rawValue: "docker:write").isKnown)
    }

    @Test func parseUnknownScopeNamesIt() {
        #expect {
            try Scope.parseList(["docker:report", "docker:rport"])
        } throws: { error in
            guard let error = error as? ScopeError else { return false }
            return error.code == .unknownScope && error.scope == "docker:rport"
                && error.description.contains("docker:rport")
        }
    }

    @Test func wildcardCannotBeMixed() {
        #expect {
            try Scope.parseList(["*", "monitoring:read"])
        } throws: { error in
            (error as? ScopeError)?.code == .wildcardCombined && (error as? ScopeError)?.scope == "monitoring:read"
        }
    }

    @Test func blankScopeIsRejected() {
        #expect {
            try Scope.parseList(["docker:report", "  "])
        } throws: { error in
            (error as? ScopeError)?.code == .blankScope
        }
    }

    @Test func parseNormalises() throws {
        #expect(try Scope.parseList([]) == [.wildcard])
        #expect(try Scope.parseList(["*"]) == [.wildcard])
        #expect(try Scope.parseList(["*", " * "]) == [.wildcard])
        #expect(
            try Scope.parseList([" kubernetes:report", "docker:report", "docker:report", "host-agent:report "])
                == [.dockerReport, .hostAgentReport, .kubernetesReport])
    }

    @Test func grants() {
        let agentToken: [Scope] = [.hostAgentReport, .dockerReport]
        #expect(agentToken.grants(.dockerReport))
        #expect(agentToken.grants(.hostAgentReport))
        #expect(!agentToken.grants(.kubernetesReport))
        #expect(!agentToken.grants(.settingsWrite))
        #expect(Set([Scope.wildcard]).grants(.settingsWrite))
        #expect([Scope]().grants(.agentExec))
        #expect(![Scope.monitoringRead].grants(.wildcard))
    }

    @Test func codableAsPlainString() throws {
        let scopes = try decode([Scope].self, #"["docker:report","future:scope"]"#)
        #expect(scopes == [.dockerReport, Scope(rawValue: "future:scope")])
        let data = try AgentJSON.makeEncoder().encode([Scope.hostAgentConfigRead])
        #expect(String(decoding: data, as: UTF8.self) == #"["host-agent:config:read"]"#)
    }
}
