import AgentJSONFoundation
import AgentProtocol
import Foundation
import Testing

/// The JSON fixtures under `Fixtures/`.
enum Fixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case hostMaximal = "host-report-maximal"
    case hostMinimal = "host-report-minimal"
    case hostLegacy = "host-report-legacy"
    case dockerMaximal = "docker-report-maximal"
    case dockerMinimal = "docker-report-minimal"
    case kubernetesMaximal = "kubernetes-report-maximal"
    case kubernetesMinimal = "kubernetes-report-minimal"
    case commandAckAliases = "command-ack-aliases"

    var testDescription: String { rawValue }

    func data() throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: rawValue, withExtension: "json", subdirectory: "Fixtures"),
            "fixture \(rawValue).json is not in the test bundle")
        return try Data(contentsOf: url)
    }

    func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try AgentJSON.makeDecoder().decode(T.self, from: data())
    }
}

/// Decodes `json` with the agent decoder.
func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try AgentJSON.makeDecoder().decode(T.self, from: Data(json.utf8))
}

/// Encodes `value` with the agent encoder and parses the result into a JSON object.
func encodeToObject<T: Encodable>(_ value: T) throws -> [String: Any] {
    let data = try AgentJSON.makeEncoder().encode(value)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// Every key path in a parsed JSON value, e.g. `host.loadAverage`, `containers[2].ports[0].protocol`.
func keyPaths(of value: Any, prefix: String = "") -> Set<String> {
    var paths = Set<String>()
    if let object = value as? [String: Any] {
        for (key, child) in object {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            paths.insert(path)
            paths.formUnion(keyPaths(of: child, prefix: path))
        }
    } else if let array = value as? [Any] {
        for (index, child) in array.enumerated() {
            paths.formUnion(keyPaths(of: child, prefix: "\(prefix)[\(index)]"))
        }
    }
    return paths
}

/// A date from Unix seconds plus milliseconds, built without the code under test.
func unixDate(_ seconds: Int, millis: Int = 0) -> Date {
    Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
}

/// Whether two dates agree to the millisecond.
func sameMillisecond(_ a: Date?, _ b: Date) -> Bool {
    guard let a else { return false }
    return abs(a.timeIntervalSince1970 - b.timeIntervalSince1970) < 0.0005
}
