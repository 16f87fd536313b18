import Foundation

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// The operations an OpenAPI document describes, each reduced to what a registered route has:
/// method, path pattern and declared access.
///
/// An operation's route is its path, or its `x-pulse-route` when one handler serves several
/// documented paths (the catch-all `POST /api/alerts/**` behind `/api/alerts/{id}/acknowledge`, …).
/// Its access is `x-pulse-access`, in `RouteAccess.description`'s words.
struct OpenAPIOperations {
    struct Operation: Hashable, CustomStringConvertible {
        /// Upper case, as `HTTPRequest.Method.rawValue`.
        var method: String
        /// The documented path.
        var path: String
        /// The registered path pattern this operation is served by.
        var route: String
        /// `x-pulse-access`, or nil when the operation has none.
        var access: String?
        /// The operation object itself.
        var object: [String: Any]

        var description: String { "\(method) \(path)" }
        static func == (lhs: Operation, rhs: Operation) -> Bool { lhs.description == rhs.description }
        func hash(into hasher: inout Hasher) { hasher.combine(description) }
    }

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    let operations: [Operation]

    /// The operations of `document`, a parsed OpenAPI document.
    init(document: [String: Any]) {
        var operations: [Operation] = []
        let paths = document["paths"] as? [String: Any] ?? [:]
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            let item = item as? [String: Any] ?? [:]
            for method in Self.methods {
                guard let object = item[method] as? [String: Any] else { continue }
                operations.append(
                    Operation(
                        method: method.uppercased(), path: path, route: object["x-pulse-route"] as? String ?? path,
                        access: object["x-pulse-access"] as? String, object: object))
            }
        }
        self.operations = operations
    }

    /// Every disagreement between the document and `routes`, one sentence each: a route without an
    /// operation, an operation without a route, or a different access. Empty when they agree.
    func mismatches(with routes: [RegisteredRoute]) -> [String] {
        var problems: [String] = []
        let registered = Dictionary(routes.map { ("\($0.method.rawValue) \($0.path)", $0.access.description) }, uniquingKeysWith: { a, _ in a })
        let documented = Dictionary(grouping: operations) { "\($0.method) \($0.route)" }
        for route in routes {
            let key = "\(route.method.rawValue) \(route.path)"
            guard let described = documented[key] else {
                problems.append("route \(route) has no operation in the OpenAPI document")
                continue
            }
            for operation in described where operation.access != route.access.description {
                problems.append("operation \(operation) declares access \(operation.access ?? "none") but its route \(route) demands \(route.access)")
            }
        }
        for operation in operations where registered["\(operation.method) \(operation.route)"] == nil {
            problems.append("operation \(operation) has no registered route \(operation.method) \(operation.route)")
        }
        return problems
    }
}
