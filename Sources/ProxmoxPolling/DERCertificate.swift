package import Foundation

/// Just enough DER to find an X.509 certificate's SubjectPublicKeyInfo, for public-key pinning,
/// and the end of its validity, for patrol's certificate expiry.
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

    /// When the certificate stops being valid (`validity.notAfter`), nil when it cannot be read.
    package static func notAfter(_ der: [UInt8]) -> Date? {
        guard let certificate = element(in: der, at: 0), certificate.tag == 0x30,
            let tbs = element(in: der, at: certificate.contentStart), tbs.tag == 0x30
        else { return nil }
        var offset = tbs.contentStart
        // [0] version (optional), serialNumber, signature, issuer, then validity.
        if let first = element(in: der, at: offset), first.tag == 0xA0 { offset = first.end }
        for _ in 0..<3 {
            guard let skipped = element(in: der, at: offset), skipped.end <= tbs.end else { return nil }
            offset = skipped.end
        }
        guard let validity = element(in: der, at: offset), validity.tag == 0x30, validity.end <= tbs.end,
            let notBefore = element(in: der, at: validity.contentStart), let notAfter = element(in: der, at: notBefore.end),
            notAfter.end <= validity.end
        else { return nil }
        return time(tag: notAfter.tag, text: String(decoding: der[notAfter.contentStart..<notAfter.end], as: UTF8.self))
    }

    /// UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
    static func time(tag: UInt8, text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        let digits = Array(text.dropLast())
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let numbers = digits.compactMap(\.wholeNumberValue)
        func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + numbers[$1] } }
        var components = DateComponents()
        let rest: Int
        switch (tag, numbers.count) {
        case (0x17, 12):
            let year = value(0..<2)
            components.year = year < 50 ? 2000 + year : 1900 + year
            rest = 2
        case (0x18, 14):
            components.year = value(0..<4)
            rest = 4
        default:
            return nil
        }
        components.month = value(rest..<(rest + 2))
        components.day = value((rest + 2)..<(rest + 4))
        components.hour = value((rest + 4)..<(rest + 6))
        components.minute = value((rest + 6)..<(rest + 8))
        components.second = value((rest + 8)..<(rest + 10))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
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
