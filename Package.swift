// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Atende",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "atende", targets: ["atende"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // TLS for the server (certificate and key) and its clients (a private CA to trust).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "AtendeCore",
            dependencies: [
                // Slow salted password hashes (PBKDF2), shared by the workstation and the server.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: upcoming),
        // The sync contract shared by the workstation and the server, and the conflict rules of each entity.
        .target(name: "AtendeSync", dependencies: ["AtendeCore"], swiftSettings: upcoming),
        // The ACD/PABX model: a deterministic state machine, commands and clock in, events out.
        .target(name: "AtendeSwitch", dependencies: ["AtendeCore"], swiftSettings: upcoming),
        // The numbered SQL files of the top-level Migrations/ folder, bundled as resources.
        .target(
            name: "AtendeMigrations",
            path: "Migrations",
            resources: [.copy("workstation"), .copy("server")],
            swiftSettings: upcoming),
        // The workstation defaults and the demo call-center registry of the top-level Config/ folder.
        .target(
            name: "AtendeDefaults",
            path: "Config",
            resources: [.copy("defaults.json"), .copy("registry.json")],
            swiftSettings: upcoming),
        .target(
            name: "AtendeStore",
            dependencies: [
                "AtendeCore", "AtendeMigrations", "AtendeSync",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C functions, for reading exports in place and binding batch inserts.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming),
        // The call-center server's own records: registry, credentials, sessions, the switch's log.
        .target(
            name: "AtendeServerStore",
            dependencies: [
                "AtendeCore", "AtendeMigrations", "AtendeSync",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming),
        // The call-center server: HTTP + WebSocket (Hummingbird), auth, the shared switch, metrics.
        .target(
            name: "AtendeServer",
            dependencies: [
                "AtendeCore", "AtendeSwitch", "AtendeServerStore", "AtendeSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcoming),
        // The workstation's side of the server: login over HTTP, the switch over a WebSocket.
        .target(
            name: "AtendeRemote",
            dependencies: [
                "AtendeCore", "AtendeWorkstation", "AtendeSync",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // The HTTP client: HTTP/1.1 on NIO, over TLS when the server's address says https.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "AtendeWorkstation",
            dependencies: [
                "AtendeCore", "AtendeStore", "AtendeSwitch", "AtendeSync",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        // CRM screen transfer: the TCP protocol of Annex I and the TXT folders of Annex II.
        .target(
            name: "AtendeIntegration",
            dependencies: [
                "AtendeCore", "AtendeSwitch", "AtendeWorkstation",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "AtendeREPL",
            // Neither the store nor the switch: the REPL talks to the workstation's API only.
            dependencies: ["AtendeCore", "AtendeSync", "AtendeWorkstation", "AtendeIntegration"],
            swiftSettings: upcoming),
        .executableTarget(
            name: "atende",
            dependencies: [
                "AtendeCore", "AtendeStore", "AtendeSwitch", "AtendeWorkstation", "AtendeREPL", "AtendeDefaults",
                "AtendeIntegration", "AtendeServer", "AtendeRemote",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        // A TCP proxy on the loopback that injects faults (partitions, delays, resets), for the sync fault harness.
        .target(
            name: "FaultProxy",
            dependencies: [
                "AtendeCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcoming),
        .target(name: "TestSupport", dependencies: ["AtendeCore"], swiftSettings: upcoming),
        .testTarget(name: "AtendeCoreTests", dependencies: ["AtendeCore"], swiftSettings: upcoming),
        .testTarget(name: "AtendeSwitchTests", dependencies: ["AtendeCore", "AtendeSwitch"], swiftSettings: upcoming),
        .testTarget(name: "AtendeSyncTests", dependencies: ["AtendeCore", "AtendeSync"], swiftSettings: upcoming),
        .testTarget(
            name: "AtendeIntegrationTests",
            dependencies: ["AtendeCore", "AtendeIntegration", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming),
        .testTarget(
            name: "AtendeStoreTests",
            dependencies: ["AtendeCore", "AtendeStore", "TestSupport"],
            swiftSettings: upcoming),
        .testTarget(
            name: "AtendeWorkstationTests",
            dependencies: ["AtendeCore", "AtendeStore", "AtendeSwitch", "AtendeWorkstation", "TestSupport"],
            swiftSettings: upcoming),
        .testTarget(
            name: "AtendeREPLTests",
            dependencies: ["AtendeCore", "AtendeREPL", "AtendeWorkstation"],
            swiftSettings: upcoming),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "AtendeCore", "AtendeServer", "AtendeServerStore", "AtendeRemote", "AtendeSync", "AtendeStore", "AtendeWorkstation",
                "TestSupport", "FaultProxy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcoming),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["AtendeCore", "AtendeStore", "TestSupport"],
            swiftSettings: upcoming),
    ]
)
