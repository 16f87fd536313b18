import Foundation
import PackagePlugin

/// Embeds the files the server serves verbatim (`installers/`, the dashboard in `web/`, and the
/// OpenAPI document) into its binary.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    /// Package folders whose files are embedded, with the prefix their names get.
    static let folders = [
        (folder: "installers", prefix: ""), (folder: "web", prefix: "web/"),
        (folder: "Sources/PulseAPI/API/OpenAPI", prefix: "openapi/"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let packageFolder = context.package.directoryURL
        var inputs: [(name: String, url: URL)] = []
        for (folder, prefix) in Self.folders {
            let folderURL = packageFolder.appending(path: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folderURL.path)) ?? []
            inputs += names.sorted().filter { !$0.hasPrefix(".") }.map { (prefix + $0, folderURL.appending(path: $0)) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFileData.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path] + inputs.map { "\($0.name)=\($0.url.path)" },
                inputFiles: inputs.map(\.url),
                outputFiles: [output])
        ]
    }
}
