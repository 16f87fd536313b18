import Foundation

// Writes a Swift source file that carries files as base64 string literals, so the server is one
// binary with its installer (and later its dashboard) inside.
//
// Usage: embed-files OUTPUT.swift NAME=PATH...
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-files OUTPUT.swift NAME=PATH...\n".utf8))
    exit(2)
}

var entries: [String] = []
for pair in arguments.dropFirst().sorted() {
    guard let separator = pair.firstIndex(of: "=") else {
        FileHandle.standardError.write(Data("embed-files: expected NAME=PATH, got \(pair)\n".utf8))
        exit(2)
    }
    let name = pair[..<separator]
    let path = String(pair[pair.index(after: separator)...])
    let contents = try Data(contentsOf: URL(fileURLWithPath: path))
    entries.append("        \"\(name)\": \"\(contents.base64EncodedString())\",")
}

let source = """
    // Generated at build time by the EmbedFiles plugin from the package's files; do not edit.
    enum EmbeddedFileData {
        /// File name → contents, base64-encoded.
        static let base64: [String: String] = [
    \(entries.isEmpty ? "        :" : entries.joined(separator: "\n"))
        ]
    }

    """
let data = Data(source.utf8)
// Rewrite only on change so an unchanged installer does not recompile the server.
if (try? Data(contentsOf: URL(fileURLWithPath: output))) != data {
    try data.write(to: URL(fileURLWithPath: output), options: .atomic)
}
