#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 through the OpenSSL libcrypto that libcurl already loaded into this process, looked
/// up at run time: the agent gets a vetted hash without linking a second crypto library (and
/// without growing the binary). Nil where no libcrypto is present; self-update is then off.
enum SHA256Digest {
    private typealias Digest = @convention(c) (
        UnsafeRawPointer?, Int, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?, OpaquePointer?, OpaquePointer?
    ) -> Int32
    private typealias Algorithm = @convention(c) () -> OpaquePointer?

    private static let functions: (digest: Digest, sha256: Algorithm)? = {
        for name in ["libcrypto.so.3", "libcrypto.so"] {
            guard let library = dlopen(name, RTLD_NOW | RTLD_LOCAL),
                let digest = dlsym(library, "EVP_Digest"), let sha256 = dlsym(library, "EVP_sha256")
            else { continue }
            return (unsafeBitCast(digest, to: Digest.self), unsafeBitCast(sha256, to: Algorithm.self))
        }
        return nil
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
