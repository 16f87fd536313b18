import Foundation

/// Reads a Proxmox API (`/api2/json`): the seam between pollers and the network.
package protocol ProxmoxClient: Sendable {
    /// GETs `path` (below `/api2/json`, with its query) and decodes the reply's `data`.
    func get<T: Decodable & Sendable>(_ path: String, as type: T.Type) async throws -> T
}

/// Why a Proxmox request failed, sorted the way the scheduler treats it.
package struct ProxmoxError: Error, CustomStringConvertible, Sendable, Equatable {
    package enum Category: String, Sendable, Encodable {
        /// Worth retrying soon: timeouts, refused connections, 5xx, 595 (node unreachable).
        case transient
        /// Will not fix itself: bad credentials, missing permission, a certificate mismatch.
        case permanent
        /// The path does not exist on this server (an optional feature, e.g. Ceph).
        case notFound = "not_found"
    }

    package let category: Category
    package let description: String
    /// The HTTP status, when there was a reply.
    package var status: Int?

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(category: Category, description: String, status: Int? = nil) {
        self.category = category
        self.description = description
        self.status = status
    }

    static func fromStatus(_ status: Int, path: String, message: String) -> ProxmoxError {
        let category: Category =
            switch status {
            case 401, 403: .permanent
            case 404, 501: .notFound
            default: .transient
            }
        let detail = message.isEmpty ? "" : ": \(message.prefix(200))"
        return ProxmoxError(category: category, description: "GET \(path) answered \(status)\(detail)", status: status)
    }
}

/// A number Proxmox writes as a JSON number or as a string ("0.00", "N/A" → nil).
package struct LooseNumber: Decodable, Sendable, Equatable {
    package let value: Double?

    package init(_ value: Double?) { self.value = value }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            value = Double(text.trimmingCharacters(in: .whitespaces))
        } else if let flag = try? container.decode(Bool.self) {
            value = flag ? 1 : 0
        } else {
            value = nil
        }
    }
}

extension Optional where Wrapped == LooseNumber {
    var double: Double { self?.value ?? 0 }
    var uint64: UInt64 {
        guard let value = self?.value, value.isFinite, value > 0 else { return 0 }
        return value >= Double(UInt64.max) ? UInt64.max : UInt64(value)
    }
    var int: Int { Int(exactly: (self?.value ?? 0).rounded(.towardZero)) ?? 0 }
    package var flag: Bool { (self?.value ?? 0) != 0 }
}
