/// A request value that breaks its field's grammar. The HTTP layer answers it with 400
/// `invalid_request` and `details.field` (see `ErrorMiddleware`); `reason` is shown to the client
/// and never repeats the value, which may hold anything.
package struct InvalidField: Error, CustomStringConvertible, Sendable, Equatable {
    package let field: String
    package let reason: String

    package init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    package var description: String { "\(field): \(reason)" }
}
