/// Checks what libcurl writes into a request verbatim: header lines, the user agent, the method,
/// SMTP envelope addresses. A CR or LF there ends the line and starts another of the sender's
/// choosing (an injected header, or a body); a NUL cuts the line short. Every request passes
/// through `CurlClient` and `CurlSMTP`, so refusing here covers every caller, whatever it forgot
/// to clean.
enum HeaderLine {
    /// Throws when `text` holds CR, LF or NUL; the error names `label` (a header's name, never
    /// its value, which may be a secret).
    static func refuseLineBreaks(_ text: String, label: @autoclosure () -> String) throws {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else { return }
        throw TransportError(description: "refused to send: \(label()) contains a line break or NUL")
    }

    /// The same for each `Name: value` line, labelled by its name.
    static func refuseLineBreaks(inHeaders lines: [String]) throws {
        for line in lines {
            let name = line.prefix { $0 != ":" && $0 != "\r" && $0 != "\n" && $0 != "\0" }
            try refuseLineBreaks(line, label: "header '\(name)'")
        }
    }
}
