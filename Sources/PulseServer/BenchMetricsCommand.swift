import ArgumentParser
import Foundation
import Persistence
import PulseAPI
import PulseCore

/// `pulse bench-metrics` (hidden; `make bench`): write throughput of the metrics store, bytes per
/// point on disk after rollups, and history query latency, for `--series` series.
struct BenchMetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-metrics", abstract: "Benchmark the metrics history store.", shouldDisplay: false)

    @Option(help: "Number of series.") var series = 1000
    @Option(help: "Folder for the benchmark database (removed afterwards).") var folder: String?
    @Option(help: "History queries per range.") var queries = 200
    @Option(help: "Minutes of 10 s samples written in the throughput phase.") var writeMinutes = 120
    @Option(help: "Seconds of samples between flushes in the throughput phase (the server flushes every sampling round).")
    var flushEvery = 600
    @Option(name: .customLong("page-cache-kib"), help: "The writer's SQLite page cache, KiB.")
    var pageCacheKiB = SQLiteMetricsStore.defaultPageCacheKiB
    @Option(name: .customLong("mapped-mib"), help: "How much of the database file the writer maps into memory, MiB (0: none).")
    var mappedMiB = SQLiteMetricsStore.defaultMappedMiB
    @Flag(help: "Only the write phase (no older history, rollups or queries): for many series.") var writeOnly = false

    func run() async throws {
        let directory =
            folder.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("metrics.db").path
        let store = try SQLiteMetricsStore(path: path, flushThreshold: .max, pageCacheKiB: pageCacheKiB, mappedMiB: mappedMiB)
        let keys = (0..<series).map { index in
            SeriesKey(
                resourceType: index % 2 == 0 ? "vm" : "node", resourceId: "lab:pve\(index % 8):\(100 + index)",
                metric: ["cpu", "memory", "disk"][index % 3])
        }
        let now: Int64 = 1_750_000_000 / 3600 * 3600
        var generator = SystemRandomNumberGenerator()
        func value(_ index: Int, _ time: Int64) -> Double {
            Double((Int64(index) &* 7 &+ time / 10) % 1000) / 10 + Double.random(in: 0..<1, using: &generator)
        }

        // 1. Write throughput: two hours of 10 s samples (the raw tier's span), batched as the sampler does.
        let rawStart = now - Int64(writeMinutes) * 60
        var written = 0
        let writeClock = ContinuousClock.now
        for time in stride(from: rawStart, to: now, by: 10) {
            await store.record(keys.indices.map { MetricPoint(series: keys[$0], timestamp: time, value: value($0, time)) })
            if (time - rawStart) % Int64(flushEvery) == 0 { try await store.flush() }
            written += keys.count
        }
        try await store.flush()
        let writeSeconds = Self.seconds(ContinuousClock.now - writeClock)
        let writeReport = writePhaseReport(written: written, seconds: writeSeconds)
        if writeOnly {
            print(writeReport)
            return
        }

        // 2. Older history at the spacing each tier keeps, rolled up, then retention applied.
        for time in stride(from: now - 86_400, to: rawStart, by: 60) {
            await store.record(keys.indices.map { MetricPoint(series: keys[$0], timestamp: time, value: value($0, time)) })
        }
        for time in stride(from: now - 7 * 86_400, to: now - 86_400, by: 3600) {
            await store.record(keys.indices.map { MetricPoint(series: keys[$0], timestamp: time, value: value($0, time)) })
        }
        try await store.flush()
        let rollupClock = ContinuousClock.now
        try await store.rollUp(now: Date(timeIntervalSince1970: TimeInterval(now + 360)))
        let rollupSeconds = Self.seconds(ContinuousClock.now - rollupClock)
        // Retention as of the benchmark's "now": raw keeps 2 h, minutes 24 h, hours 7 d.
        try await store.applyRetention(now: Date(timeIntervalSince1970: TimeInterval(now + 360)))
        let stats = try await store.stats()
        let stored = stats.rawCount + stats.minuteCount + stats.hourlyCount + stats.dailyCount

        // 3. History queries over random series.
        func latencies(span: Int64) async throws -> [Double] {
            var times: [Double] = []
            for _ in 0..<queries {
                let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
                let tier = MetricsRetention().tier(covering: TimeInterval(span))
                let clock = ContinuousClock.now
                let points = try await store.history(key, from: now + 360 - span, to: now + 360, tier: tier, limit: MetricsRoutes.historyPointLimit)
                times.append(Self.seconds(ContinuousClock.now - clock) * 1000)
                precondition(!points.isEmpty, "a history query found no points")
            }
            return times.sorted()
        }
        let day = try await latencies(span: 86_400)
        let week = try await latencies(span: 7 * 86_400)

        print(writeReport)
        print(String(format: "  rollup of %d older points: %.2f s", stats.totalWrites - written, rollupSeconds))
        print(
            String(
                format: "  on disk after rollups and retention: %d bytes for %d points = %.1f B/point (raw %d, minute %d, hourly %d, daily %d)",
                stats.dbSize, stored, Double(stats.dbSize) / Double(max(1, stored)), stats.rawCount, stats.minuteCount, stats.hourlyCount,
                stats.dailyCount))
        for (name, times) in [("24h", day), ("7d", week)] {
            print(
                String(
                    format: "  history %@: p50 %.2f ms, p95 %.2f ms (%d queries)", name, times[times.count / 2], times[times.count * 95 / 100],
                    times.count))
        }
    }

    /// The write phase's figures, with this process's resident set as it ends.
    func writePhaseReport(written: Int, seconds: Double) -> String {
        let flushes = max(1, writeMinutes * 60 / flushEvery)
        return """
            metrics store, \(series) series, a flush every \(flushEvery) s of samples, page cache \(pageCacheKiB) KiB, mapped \(mappedMiB) MiB
            \(String(format: "  write: %d points in %.2f s = %.0f points/s, %.1f ms per flush", written, seconds, Double(written) / seconds, seconds * 1000 / Double(flushes)))
              process resident at the end of the write phase: \(Self.resident())
            """
    }

    /// This process's resident set and its peak, from /proc/self/status.
    static func resident() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func megabytes(_ field: String) -> String {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
            else { return "?" }
            return String(format: "%.1f MB", kib / 1024)
        }
        return "\(megabytes("VmRSS")) (anonymous \(megabytes("RssAnon")), peak \(megabytes("VmHWM")))"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
