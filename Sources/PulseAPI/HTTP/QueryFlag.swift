import PulseSupport

/// A yes/no query parameter (`?follow=false`, `?alerts=true`): exactly `true` or `false`, anything
/// else refused naming the parameter; absent, `default`.
package enum QueryFlag {
    package static func parse(_ text: (some StringProtocol)?, named name: String, default absent: Bool) throws -> Bool {
        switch text.map({ String($0) }) {
        case nil: return absent
        case "true": return true
        case "false": return false
        default: throw DomainError.invalid("\(name) must be true or false", field: name)
        }
    }
}

/// `{"success": true}`: the whole reply of an action that has nothing more to say.
package struct Succeeded: Encodable, Sendable {
    package var success = true

    package init() {}
}
