/// Just enough DER to find an X.509 certificate's SubjectPublicKeyInfo, for public-key pinning.
package enum DERCertificate {
    /// The complete SubjectPublicKeyInfo element (tag, length and content) of a DER certificate.
    static func subjectPublicKeyInfo(_ der: [UInt8]) -> [UInt8]? {
        guard let certificate = element(in: der, at: 0), certificate.tag == 0x30,
            let tbs = element(in: der, at: certificate.contentStart), tbs.tag == 0x30
        else { return nil }
        var offset = tbs.contentStart
        // [0] version (optional), serialNumber, signature, issuer, validity, subject, then the key.
        if let first = element(in: der, at: offset), first.tag == 0xA0 { offset = first.end }
        for _ in 0..<5 {
            guard let skipped = element(in: der, at: offset), skipped.end <= tbs.end else { return nil }
            offset = skipped.end
        }
        guard let key = element(in: der, at: offset), key.tag == 0x30, key.end <= tbs.end else { return nil }
        return Array(der[offset..<key.end])
    }

    private struct Element {
        let tag: UInt8
        let contentStart: Int
        let end: Int
    }

    /// The element starting at `offset`: single-byte tags, definite lengths (all DER has).
    private static func element(in bytes: [UInt8], at offset: Int) -> Element? {
        guard offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        var contentStart = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, contentStart + count <= bytes.count else { return nil }
            length = 0
            for byte in bytes[contentStart..<(contentStart + count)] { length = length << 8 | Int(byte) }
            contentStart += count
        }
        let end = contentStart + length
        guard end <= bytes.count else { return nil }
        return Element(tag: tag, contentStart: contentStart, end: end)
    }
}
