import HTTPTypes

extension HTTPRequest.Method {
    /// GET, HEAD and OPTIONS: methods that only read. Every other method is a change, for rate
    /// limits and for the CSRF check alike.
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
