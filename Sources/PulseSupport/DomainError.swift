/// A request the domain refuses, thrown below the HTTP layer (state, ingest, alert and Proxmox
/// configuration). It says what kind of refusal it is, not which HTTP status to answer with:
/// the API maps each kind to its status in one place (`APIError.init(_: DomainError)`).
package struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal; the API answers 400, 404, 403, 409 and 413 in that order.
    package enum Kind: Sendable, Equatable {
        /// A value breaks its field's rules.
        case invalid
        /// The thing named does not exist.
        case notFound
        /// The caller may not do this (another token's record, a limit on records).
        case forbidden
        /// The request contradicts what exists (an identity another token enrolled).
        case conflict
        /// The request holds more than is accepted at once.
        case tooLarge
    }

    /// Stable identifiers clients can switch on (the API's `code`). A struct, so adding one breaks no one.
    package struct Code: RawRepresentable, Hashable, Sendable {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }

        package static let invalidRequest = Code(rawValue: "invalid_request")
        package static let invalidReport = Code(rawValue: "invalid_report")
        package static let notFound = Code(rawValue: "not_found")
        package static let forbidden = Code(rawValue: "forbidden")
        /// A report names a host, Docker host or cluster that another token enrolled.
        package static let identityConflict = Code(rawValue: "identity_conflict")
        /// A limit on what one token or one report may create was reached.
        package static let limitExceeded = Code(rawValue: "limit_exceeded")
    }

    package let kind: Kind
    package let code: Code
    /// Shown to the client; never repeats a secret.
    package let message: String
    /// Machine-readable detail, e.g. the offending `field`.
    package var details: [String: String]?

    package init(_ kind: Kind, code: Code, message: String, details: [String: String]? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details
    }

    package var description: String { "\(code.rawValue): \(message)" }

    /// A value that breaks its field's rules.
    package static func invalid(_ message: String, code: Code = .invalidRequest, field: String? = nil) -> DomainError {
        DomainError(.invalid, code: code, message: message, details: field.map { ["field": $0] })
    }

    package static func notFound(_ message: String) -> DomainError {
        DomainError(.notFound, code: .notFound, message: message)
    }
}
