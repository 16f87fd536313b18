/// SHA-256 through libcrypto (`LibCrypto`). Nil where no libcrypto is present; self-update is
/// then off.
enum SHA256Digest {
    private typealias Digest =
        @convention(c) (
            UnsafeRawPointer?, Int, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?, OpaquePointer?, OpaquePointer?
        ) -> Int32
    private typealias Algorithm = @convention(c) () -> OpaquePointer?

    private static let functions: (digest: Digest, sha256: Algorithm)? = {
        guard let digest = LibCrypto.symbol("EVP_Digest"), let sha256 = LibCrypto.symbol("EVP_sha256") else { return nil }
        return (unsafeBitCast(digest, to: Digest.self), unsafeBitCast(sha256, to: Algorithm.self))
    }()

    static var isAvailable: Bool { functions != nil }

    /// Lower-case hex SHA-256 of `bytes`, or nil without libcrypto.
    static func hex(_ bytes: [UInt8]) -> String? {
        guard let functions, let algorithm = functions.sha256() else { return nil }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let status = bytes.withUnsafeBytes { input in
            functions.digest(input.baseAddress, input.count, &digest, &length, algorithm, nil)
        }
        guard status == 1, length == 32 else { return nil }
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
    }
}
