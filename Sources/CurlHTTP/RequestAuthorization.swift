/// How a request proves who sends it: nothing, a bearer token or basic credentials, sent as an
/// `Authorization` header. Printed, dumped or reflected it shows only its kind, never the
/// credentials, so settings that hold one can be logged.
public enum RequestAuthorization: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    case none
    case bearer(token: String)
    case basic(username: String, password: String)

    /// `none`, `bearer` or `basic`, for diagnostics.
    public var kind: String {
        switch self {
        case .none: "none"
        case .bearer: "bearer"
        case .basic: "basic"
        }
    }

    /// The `Authorization: …` header line, nil for `none`.
    public var headerLine: String? {
        switch self {
        case .none: nil
        case .bearer(let token): "Authorization: Bearer \(token)"
        case .basic(let username, let password): "Authorization: Basic \(Base64.encode(Array("\(username):\(password)".utf8)))"
        }
    }

    public var description: String { kind }
    public var debugDescription: String { kind }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
