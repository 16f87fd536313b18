import Crypto
import Foundation

/// Short, stable identifiers: the first 8 bytes of a SHA-256, in hex.
enum StableHash {
    static func hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
