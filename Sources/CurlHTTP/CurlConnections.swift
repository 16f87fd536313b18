import CCurl
import Synchronization

/// Idle libcurl easy handles kept for reuse. A handle keeps its connection cache across
/// `curl_easy_reset`, so a client that returns its handles here talks to the same server over
/// one kept-alive connection (one TLS handshake) instead of a new one per request.
///
/// Each handle is used by one transfer at a time: `take` removes it, `giveBack` resets it and
/// returns it. At most `limit` idle handles are kept; the rest are closed.
public final class CurlConnections: Sendable {
    private struct Handle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private let idle = Mutex<[Handle]>([])
    private let limit: Int

    public init(limit: Int = 4) {
        self.limit = limit
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.pointer) }
            handles.removeAll()
        }
    }

    func take() -> UnsafeMutableRawPointer? {
        idle.withLock { $0.popLast()?.pointer }
    }

    func giveBack(_ pointer: UnsafeMutableRawPointer) {
        curl_easy_reset(pointer)
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < limit else { return false }
            handles.append(Handle(pointer: pointer))
            return true
        }
        if !kept { curl_easy_cleanup(pointer) }
    }
}
