package import AgentProtocol
package import PulseSupport

/// The body of `PATCH /api/agents/host/{id}/config`: Pulse's `commandsEnabled` and a `settings`
/// object whose keys are ``HostAgentSettings``'s. A key that is present sets its value, `null`
/// clears it (the agent goes back to its own flag), and a missing key keeps what is held.
package struct HostAgentConfigUpdate: Decodable, Sendable {
    /// A key's change: absent, cleared (`null`) or set.
    package enum Change<Value: Sendable>: Sendable {
        case keep
        case clear
        case set(Value)
    }

    package var commandsEnabled: Change<Bool> = .keep
    package var settings: [HostAgentSettings.CodingKeys: Change<JSONValue>] = [:]

    /// Bounds of what is accepted.
    package enum Limits {
        package static let intervalSeconds = 5...3600
        package static let patterns = 64
        package static let patternLength = 256
    }

    private enum Keys: String, CodingKey { case commandsEnabled, settings }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(commandsEnabled: Change<Bool> = .keep, settings: [HostAgentSettings.CodingKeys: Change<JSONValue>] = [:]) {
        self.commandsEnabled = commandsEnabled
        self.settings = settings
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if c.contains(.commandsEnabled) {
            if try c.decodeNil(forKey: .commandsEnabled) {
                commandsEnabled = .clear
            } else {
                guard let value = try? c.decode(Bool.self, forKey: .commandsEnabled) else {
                    throw DomainError.invalid("commandsEnabled must be true, false or null", field: "commandsEnabled")
                }
                commandsEnabled = .set(value)
            }
        }
        guard c.contains(.settings), try !c.decodeNil(forKey: .settings) else { return }
        guard let nested = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: .settings) else {
            throw DomainError.invalid("settings must be an object", field: "settings")
        }
        for key in nested.allKeys {
            guard let name = HostAgentSettings.CodingKeys(rawValue: key.stringValue) else {
                let known = HostAgentSettings.CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                throw DomainError.invalid("settings.\(key.stringValue) is not a setting (known: \(known))", field: "settings.\(key.stringValue)")
            }
            if try nested.decodeNil(forKey: key) {
                settings[name] = .clear
            } else {
                settings[name] = .set(try nested.decode(JSONValue.self, forKey: key))
            }
        }
    }

    /// `control` with this update applied, or a `DomainError` naming the first bad field.
    package func applied(to control: HostAgentControl) throws -> HostAgentControl {
        var control = control
        switch commandsEnabled {
        case .keep: break
        case .clear: control.commandsEnabled = nil
        case .set(let value): control.commandsEnabled = value
        }
        for key in HostAgentSettings.CodingKeys.allCases {
            guard let change = settings[key] else { continue }
            let field = "settings.\(key.rawValue)"
            let value: JSONValue?
            switch change {
            case .keep: continue
            case .clear: value = nil
            case .set(let given): value = given
            }
            switch key {
            case .intervalSeconds: control.settings.intervalSeconds = try value.map { try Self.interval($0, field: field) }
            case .enableHost: control.settings.enableHost = try value.map { try Self.flag($0, field: field) }
            case .enableDocker: control.settings.enableDocker = try value.map { try Self.flag($0, field: field) }
            case .enableKubernetes: control.settings.enableKubernetes = try value.map { try Self.flag($0, field: field) }
            case .diskExclude: control.settings.diskExclude = try value.map { try Self.patterns($0, field: field) }
            case .sensorInclude: control.settings.sensorInclude = try value.map { try Self.patterns($0, field: field) }
            case .sensorExclude: control.settings.sensorExclude = try value.map { try Self.patterns($0, field: field) }
            }
        }
        return control
    }

    static func interval(_ value: JSONValue, field: String) throws -> Int {
        let seconds: Int?
        switch value {
        case .string(let text): seconds = WireDuration.seconds(text)
        case .number(let number): seconds = number == number.rounded() && abs(number) < 1e9 ? Int(number) : nil
        default: seconds = nil
        }
        guard let seconds, Limits.intervalSeconds.contains(seconds) else {
            throw DomainError.invalid(
                "\(field) must be a duration from \(Limits.intervalSeconds.lowerBound)s to \(Limits.intervalSeconds.upperBound / 60)m, such as \"30s\" or 60",
                field: field)
        }
        return seconds
    }

    static func flag(_ value: JSONValue, field: String) throws -> Bool {
        guard case .bool(let flag) = value else { throw DomainError.invalid("\(field) must be true, false or null", field: field) }
        return flag
    }

    static func patterns(_ value: JSONValue, field: String) throws -> [String] {
        guard case .array(let items) = value, items.count <= Limits.patterns else {
            throw DomainError.invalid("\(field) must be a list of at most \(Limits.patterns) patterns", field: field)
        }
        return try items.map { item in
            guard case .string(let text) = item, !text.isEmpty, text.utf8.count <= Limits.patternLength,
                !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw DomainError.invalid(
                    "\(field) holds a pattern that is empty, longer than \(Limits.patternLength) bytes or has control characters", field: field)
            }
            return text
        }
    }
}
