/// Ed25519 (RFC 8032) signature checks through libcrypto (`LibCrypto`): what tells an agent
/// build its server signed from one altered on the way.
enum Ed25519Signature {
    private typealias NewRawPublicKey = @convention(c) (Int32, OpaquePointer?, UnsafePointer<UInt8>?, Int) -> OpaquePointer?
    private typealias FreeKey = @convention(c) (OpaquePointer?) -> Void
    private typealias NewContext = @convention(c) () -> OpaquePointer?
    private typealias FreeContext = @convention(c) (OpaquePointer?) -> Void
    private typealias VerifyInit =
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, OpaquePointer?, OpaquePointer?
        ) -> Int32
    private typealias Verify = @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> Int32

    private struct Functions {
        let newRawPublicKey: NewRawPublicKey
        let freeKey: FreeKey
        let newContext: NewContext
        let freeContext: FreeContext
        let verifyInit: VerifyInit
        let verify: Verify
    }

    /// OpenSSL's `EVP_PKEY_ED25519` (its NID).
    private static let keyType: Int32 = 1087

    private static let functions: Functions? = {
        guard let newRawPublicKey = LibCrypto.symbol("EVP_PKEY_new_raw_public_key"), let freeKey = LibCrypto.symbol("EVP_PKEY_free"),
            let newContext = LibCrypto.symbol("EVP_MD_CTX_new"), let freeContext = LibCrypto.symbol("EVP_MD_CTX_free"),
            let verifyInit = LibCrypto.symbol("EVP_DigestVerifyInit"), let verify = LibCrypto.symbol("EVP_DigestVerify")
        else { return nil }
        return Functions(
            newRawPublicKey: unsafeBitCast(newRawPublicKey, to: NewRawPublicKey.self), freeKey: unsafeBitCast(freeKey, to: FreeKey.self),
            newContext: unsafeBitCast(newContext, to: NewContext.self), freeContext: unsafeBitCast(freeContext, to: FreeContext.self),
            verifyInit: unsafeBitCast(verifyInit, to: VerifyInit.self), verify: unsafeBitCast(verify, to: Verify.self))
    }()

    /// False where no libcrypto (1.1.1 or newer) is loaded: nothing can be verified then.
    static var isAvailable: Bool { functions != nil }

    /// True only when `signature` (64 bytes) is `publicKey`'s (32 raw bytes) signature of exactly
    /// `message`; false for any other signature, key or message, and without libcrypto.
    static func isValid(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let functions, signature.count == 64, publicKey.count == 32 else { return false }
        guard let key = publicKey.withUnsafeBufferPointer({ functions.newRawPublicKey(keyType, nil, $0.baseAddress, $0.count) }) else {
            return false
        }
        defer { functions.freeKey(key) }
        guard let context = functions.newContext() else { return false }
        defer { functions.freeContext(context) }
        guard functions.verifyInit(context, nil, nil, nil, key) == 1 else { return false }
        let status = signature.withUnsafeBufferPointer { signatureBytes in
            message.withUnsafeBufferPointer { messageBytes in
                functions.verify(context, signatureBytes.baseAddress, signatureBytes.count, messageBytes.baseAddress, messageBytes.count)
            }
        }
        return status == 1
    }
}
