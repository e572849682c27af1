// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AssetLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "assetledger", targets: ["assetledger"]),
        .executable(name: "ledger-bench", targets: ["LedgerBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The web console and API: HTTP server, bcrypt, server-rendered templates, services.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // SHA-256 and secure random tokens.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Domain types and pure rules: identity, ownership, department tree. Foundation only.
        .target(name: "LedgerModel"),
        // Files from outside (CSV in UTF-8/GB18030, observation JSON) -> validated domain values.
        .target(name: "Ingest", dependencies: ["LedgerModel"]),
        // Pure wire codecs, probe encoders and answer readers: `bytes -> value` and back.
        // Foundation only, so each is fuzzed from Fuzz/ built from this module alone.
        .target(name: "Wire"),
        // Finding devices on the network: the scanner's phases, capture and sockets,
        // fingerprints, scan output; re-exports Wire.
        .target(name: "Discovery", dependencies: ["Wire", "LedgerModel", "Ingest", "CPcap", "COpenSSL"]),
        // libpcap, the system library (Debian's libpcap-dev), for captures and raw frames.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // The system OpenSSL (Debian's libssl-dev): the scanner's TLS handshake that reads a
        // device's certificate and its HTTPS page.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // libxlsxwriter, the system library (Debian's libxlsxwriter-dev): real XLSX workbooks.
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // Report files: XLSX workbooks (Chinese headers, frozen bold header row, widths from content).
        .target(name: "Reports", dependencies: ["LedgerModel", "CXLSXWriter"]),
        // SQLite through GRDB: migrations, scoped queries, the merge of observations into devices.
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerModel", .product(name: "GRDB", package: "GRDB.swift"),
                // The same system SQLite GRDB links, for raw binding on the merge's hot path.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The use cases (import, scan, devices, software, posture, departments, rules, check)
        // as functions over a caller's scope returning Codable outputs: what the CLI and the
        // coming server call.
        .target(
            name: "LedgerApp",
            dependencies: [
                "LedgerModel", "Ingest", "LedgerStore", "Discovery", "Reports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        // The web console and the JSON API (`assetledger serve`): Hummingbird 2, pages from
        // mustache templates, the same LedgerApp use cases with the signed-in user's scope.
        .target(
            name: "LedgerServer",
            dependencies: [
                "LedgerApp", "LedgerModel", "LedgerStore", "Ingest", "Reports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        // The command line, as a library so tests can run commands in-process.
        .target(
            name: "AssetLedgerCLI",
            dependencies: [
                "LedgerModel", "Ingest", "LedgerStore", "Discovery", "LedgerApp", "Reports", "LedgerServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "assetledger", dependencies: ["AssetLedgerCLI"]),
        .executableTarget(
            name: "LedgerBench", dependencies: ["LedgerModel", "LedgerStore", "Ingest", "LedgerApp", "Reports"]),
        // What every test target shares: the paths of the fixtures (this repository's and
        // ../shared's, a missing one failing the test), the libpcap reader of the shared
        // captures, and small builders (BER, hex, test times).
        .target(name: "TestSupport", dependencies: ["CPcap"], path: "Tests/TestSupport"),
        .testTarget(name: "LedgerModelTests", dependencies: ["LedgerModel", "TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "LedgerModel", "TestSupport"]),
        // Workbooks read back with Python's openpyxl (scripts/install-deps.sh installs it).
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        // The codecs on the shared captures (read through libpcap, like the scanner's files).
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Wire", "TestSupport"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerModel", "Ingest", "TestSupport"]),
        .testTarget(
            name: "LedgerAppTests",
            dependencies: ["LedgerApp", "LedgerStore", "LedgerModel", "Ingest", "Discovery", "TestSupport"]),
        .testTarget(
            name: "LedgerServerTests",
            dependencies: [
                "LedgerServer", "LedgerApp", "LedgerStore", "LedgerModel", "Ingest", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "AssetLedgerCLITests",
            dependencies: ["AssetLedgerCLI", "LedgerStore", "LedgerModel", "TestSupport"],
            // Help snapshots, read and written in the source tree (HelpSnapshotTests), not bundled.
            exclude: ["Snapshots"]
        ),
    ]
)
