#if canImport(Glibc)
import Glibc
#endif

/// The OpenSSL libcrypto that libcurl (OpenSSL flavour) already loaded into this process, opened
/// once at run time. The agent gets vetted SHA-256 and Ed25519 this way without linking a second
/// crypto library into its static binary: swift-crypto's `Crypto` would bring its own copy of
/// BoringSSL (see the README's self-update section for the sizes measured).
enum LibCrypto {
    // Written once by the lazy initialiser, then only read; dlsym is thread-safe.
    nonisolated(unsafe) private static let handle: UnsafeMutableRawPointer? = {
        for name in ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"] {
            if let library = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return library }
        }
        return nil
    }()

    /// The address of `name` in libcrypto; nil without libcrypto or when it lacks the symbol.
    static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        guard let handle else { return nil }
        return dlsym(handle, name)
    }
}
