// swift-tools-version:6.1
import PackageDescription

/// The server's layers: `any` spelled out for existentials; a file sees only the members of the
/// modules it imports itself.
let strictServerSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "pulse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pulse", targets: ["PulseServer"]),
        .executable(name: "pulse-agent", targets: ["PulseAgent"]),
        .library(name: "AgentProtocol", targets: ["AgentProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        // System libraries: headers and typed shims only; nothing else is written in C.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The server's allocator: glibc's arenas lock on every free of memory another thread
        // allocated, which is what replacing a report does (decoded on one thread, freed on another).
        .systemLibrary(
            name: "CJemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        // gzip response bodies (`/api/state` for clients that accept it).
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CSensors",
            providers: [.apt(["libsensors-dev"])]
        ),
        // Snappy's block format for Prometheus remote write.
        .systemLibrary(
            name: "CSnappy",
            providers: [.apt(["libsnappy-dev"])]
        ),

        // The wire contract shared by agent and server. Of FoundationEssentials it uses only
        // `Date` (which links in a few kilobytes): its own JSON reader and writer keep Foundation's
        // coders, and the rest of Foundation they pull in, out of the static agent.
        .target(name: "AgentProtocol"),

        // Foundation's JSON coders set up for the agent wire format: for the server and the tests
        // (the agent writes and reads its JSON with AgentProtocol's own coders).
        .target(name: "AgentJSONFoundation", dependencies: ["AgentProtocol"]),

        // libcurl for every outbound HTTP call, of the agent and of the server.
        .target(name: "CurlHTTP", dependencies: ["CCurl"]),

        // Programs run by absolute path with an argv array, a minimal environment and a time
        // limit: never a shell or `env`.
        .target(name: "SystemCommand", dependencies: ["CurlHTTP"]),

        // The server, one target per layer; each may import only the layers below it, so the
        // package graph is the architecture (ARCHITECTURE.md):
        //   PulseSupport ← PulseCore ← Persistence ← ProxmoxPolling, Alerting, Patrol ← Notifications, DemoMode ← PulseAPI ← PulseServer
        //   (RemoteWrite sits on Persistence beside them; only PulseServer uses it.)
        // Small value types and functions every layer uses: time, addresses, quoting, domain errors.
        .target(
            name: "PulseSupport",
            dependencies: [
                "AgentProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // The monitored model and the one state actor: ingest, merge, identity, rates, offline
        // policy. No HTTP, NIO or database module.
        .target(
            name: "PulseCore",
            dependencies: ["PulseSupport", "AgentProtocol", "AgentJSONFoundation", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictServerSettings
        ),
        // SQLite through GRDB, the only target that imports it: every table (records, settings, alerts,
        // tokens, users, sessions, audit, deliveries, Proxmox instances), sealed secrets, metrics history.
        .target(
            name: "Persistence",
            dependencies: [
                "PulseCore", "PulseSupport", "AgentProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictServerSettings
        ),
        // History read from a Prometheus-compatible engine (`/api/v1/query_range`) over the
        // families `/metrics` exposes; the API reads it through its `HistorySource`.
        .target(
            name: "HistoryQuery",
            dependencies: ["PulseCore", "PulseSupport", "CurlHTTP"],
            swiftSettings: strictServerSettings
        ),
        // PVE, PBS and PMG clients, pollers and their scheduler; hands the core model values.
        .target(
            name: "ProxmoxPolling",
            dependencies: [
                "PulseCore", "PulseSupport", "Persistence", "AgentProtocol", "CurlHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // Alert rules over the state, the alert book and its schedule.
        .target(
            name: "Alerting",
            dependencies: [
                "PulseCore", "PulseSupport", "Persistence", "AgentProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // Delivering alert events: email, webhooks, Apprise, and the retrying queue.
        .target(
            name: "Notifications",
            dependencies: [
                "Alerting", "PulseCore", "PulseSupport", "Persistence", "CurlHTTP", "SystemCommand",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // Demo mode: a generated estate whose readings move over time, fed through the agents'
        // ingest and the PVE poller like real sources.
        .target(
            name: "DemoMode",
            dependencies: [
                "ProxmoxPolling", "PulseCore", "PulseSupport", "AgentProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // Prometheus remote write: the exposition's series encoded by hand as a protobuf
        // WriteRequest, snappy-compressed, queued on disk (bounded) and sent in order with retries.
        .target(
            name: "RemoteWrite",
            dependencies: [
                "PulseCore", "PulseSupport", "Persistence", "CurlHTTP", "CSnappy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // The assistant: language model providers (OpenAI-compatible, Anthropic, Ollama) reached
        // through libcurl with the webhooks' URL check, the read-only tools over the state, the
        // bounded tool loop and token costs.
        .target(
            name: "Assistant",
            dependencies: ["PulseCore", "PulseSupport", "Persistence", "Notifications", "AgentProtocol", "CurlHTTP"],
            swiftSettings: strictServerSettings
        ),
        // Patrol: deterministic detectors over the state and the metrics history (disk forecasts,
        // memory growth, backup age, restart loops, SMART, balance, agent versions, certificates),
        // the findings book with its lifecycle, and the service that runs them every N minutes.
        .target(
            name: "Patrol",
            dependencies: [
                "PulseCore", "PulseSupport", "Persistence", "AgentProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        // The REST API, WebSocket feed, authentication, downloads, the server's self-update and
        // connection guards (Hummingbird).
        .target(
            name: "PulseAPI",
            dependencies: [
                "Assistant", "DemoMode", "Notifications", "Alerting", "ProxmoxPolling", "Patrol", "Persistence", "PulseCore", "PulseSupport",
                "AgentProtocol", "CurlHTTP", "SystemCommand", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            // The OpenAPI document is embedded by the plugin, not compiled or copied as a resource.
            exclude: ["API/OpenAPI"],
            swiftSettings: strictServerSettings,
            plugins: ["EmbedFilesPlugin"]
        ),
        // The executable: configuration, commands and the wiring of the ServiceGroup.
        .executableTarget(
            name: "PulseServer",
            dependencies: [
                "PulseAPI", "Assistant", "HistoryQuery", "DemoMode", "Notifications", "Alerting", "ProxmoxPolling", "Patrol", "Persistence",
                "PulseCore",
                "PulseSupport", "RemoteWrite", "AgentProtocol", "CJemalloc", "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictServerSettings
        ),
        .executableTarget(
            name: "PulseAgent",
            dependencies: [
                "AgentProtocol",
                "CurlHTTP",
                "SystemCommand",
                "CSensors",
                // No ArgumentParser: the agent reads its command line as Go's flag package does
                // (FlagParser), which ArgumentParser cannot, and ArgumentParser links Foundation's
                // JSONEncoder (for --experimental-dump-help), and with it most of Foundation.
                .product(name: "Logging", package: "swift-log"),
                // Signals only: the agent's loops run in a plain task group (AgentLoops), without
                // ServiceLifecycle and the AsyncAlgorithms it brings (about 1 MB of the binary).
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // Build-time only: puts installers/ into the server binary.
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"]),

        // Helpers shared by the test targets (running child processes off the cooperative pool).
        .target(name: "TestSupport", dependencies: ["CurlHTTP"], path: "Tests/TestSupport"),
        .testTarget(
            name: "AgentProtocolTests",
            dependencies: ["AgentProtocol", "AgentJSONFoundation"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SystemCommandTests", dependencies: ["SystemCommand"]),
        .testTarget(
            name: "PulseServerTests",
            dependencies: [
                "PulseServer", "PulseAPI", "Assistant", "HistoryQuery", "DemoMode", "Notifications", "Alerting", "ProxmoxPolling", "Patrol",
                "Persistence", "PulseCore", "PulseSupport", "RemoteWrite", "AgentJSONFoundation", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "AgentProtocol",
                "CurlHTTP",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCompression", package: "swift-websocket"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP"]),
        .testTarget(
            name: "PulseAgentTests",
            // Crypto signs test builds; the agent itself verifies through libcrypto.
            dependencies: [
                "PulseAgent", "AgentProtocol", "AgentJSONFoundation", "CurlHTTP", "SystemCommand", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
