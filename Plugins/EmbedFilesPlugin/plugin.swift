import Foundation
import PackagePlugin

/// Embeds the files the server serves verbatim (today `installers/`) into its binary.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    /// Package folders whose files are embedded, each file under its own name.
    static let folders = ["installers"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let packageFolder = context.package.directoryURL
        var inputs: [URL] = []
        for folder in Self.folders {
            let folderURL = packageFolder.appending(path: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folderURL.path)) ?? []
            inputs += names.sorted().filter { !$0.hasPrefix(".") }.map { folderURL.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFileData.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path] + inputs.map { "\($0.lastPathComponent)=\($0.path)" },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
