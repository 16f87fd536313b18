package import Foundation
import GRDB
package import PulseCore
import Synchronization

/// The metrics history in `<data>/metrics.db` (SQLite, WAL).
///
/// Compact on purpose: each series' names are stored once (`series`), and a point is a row of
/// integers in a `WITHOUT ROWID` table keyed by (tier, series, time): values in hundredths, so
/// percentages and temperatures take two or three bytes, and raw points carry no min/max.
package actor SQLiteMetricsStore: MetricsStore {
    package struct Stats: Encodable, Sendable {
        package var enabled = true
        var dbPath: String
        package var dbSize: Int64
        package var rawCount: Int
        package var minuteCount: Int
        package var hourlyCount: Int
        package var dailyCount: Int
        package var totalWrites: Int
        var bufferSize: Int
        var lastFlush: Date?
        package var lastRollup: Date?
        package var lastRetention: Date?
    }

    package let path: String
    private nonisolated let retentionInForce: Mutex<MetricsRetention>
    /// How long each tier keeps its points; changes at run time (`setRetention`).
    package nonisolated var retention: MetricsRetention { retentionInForce.withLock { $0 } }
    /// Points buffered before a flush is due anyway.
    package let flushThreshold: Int
    private let pool: DatabasePool
    private var seriesIDs: [SeriesKey: Int64] = [:]
    private var buffer: [MetricPoint] = []
    private var totalWrites = 0
    private var lastFlush: Date?
    private var lastRollup: Date?
    private var lastRetention: Date?

    /// The writer's page cache, KiB. A sampling round rewrites the newest leaf page of every series,
    /// which at 46,000 series (1,000 hosts and 1,000 Docker hosts) is more pages than a cache
    /// holds from one round to the next, and reads go through mmap either way. Measured with
    /// `pulse bench-metrics --write-only --flush-every 10` (a flush per round, as the sampler
    /// does): 4 MiB writes as fast as 32 MiB at 1,000, 5,000 and 46,000 series and keeps about
    /// 33 MB less of the heap at 46,000.
    package static let defaultPageCacheKiB = 4096
    /// How much of the file the writer maps into memory; none by default. Every mapped page the
    /// writer touches counts in the server's resident set for as long as the kernel keeps it, and a
    /// sampling round touches the newest leaf page of every series: the mapped part of the file
    /// grows toward all of them (46,000 pages, ~180 MB, at 1,000 hosts and 1,000 Docker hosts).
    /// Without the map the pages are read into the page cache (`pageCacheKiB`, bounded) and
    /// through the kernel's file cache, which the server's memory does not carry.
    package static let defaultMappedMiB = 0

    package init(
        path: String, retention: MetricsRetention = MetricsRetention(), flushThreshold: Int = 10_000,
        pageCacheKiB: Int = SQLiteMetricsStore.defaultPageCacheKiB, mappedMiB: Int = SQLiteMetricsStore.defaultMappedMiB
    ) throws {
        self.path = path
        retentionInForce = Mutex(retention)
        self.flushThreshold = flushThreshold
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "metrics"
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            // Durable enough for history (a power cut may lose the last seconds), much faster.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Each sampling round touches one leaf page per series: the writer keeps them cached
            // (up to `pageCacheKiB`, allocated as used); see `defaultMappedMiB` for the map.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -\(pageCacheKiB)")
                try db.execute(sql: "PRAGMA mmap_size = \(max(0, mappedMiB) * 1_048_576)")
            }
        }
        try PrivateDatabaseFiles.prepare(databaseAt: path)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        seriesIDs = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, resourceType, resourceId, metric FROM series").reduce(into: [:]) { ids, row in
                ids[SeriesKey(resourceType: row["resourceType"], resourceId: row["resourceId"], metric: row["metric"])] = row["id"]
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: series and points") { db in
            try db.execute(
                sql: """
                    CREATE TABLE series (id INTEGER PRIMARY KEY, resourceType TEXT NOT NULL, resourceId TEXT NOT NULL, metric TEXT NOT NULL,
                        UNIQUE (resourceType, resourceId, metric));
                    CREATE TABLE point (tier INTEGER NOT NULL, seriesId INTEGER NOT NULL, ts INTEGER NOT NULL,
                        value INTEGER NOT NULL, min INTEGER, max INTEGER, PRIMARY KEY (tier, seriesId, ts)) WITHOUT ROWID;
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    package static func stored(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }
    package static func loaded(_ value: Int64) -> Double { Double(value) / 100 }

    // MARK: Writing

    package func record(_ points: [MetricPoint]) async {
        let storable = points.filter { $0.value.isFinite && abs($0.value) < 9e16 }
        if buffer.isEmpty { buffer = storable } else { buffer += storable }
        if buffer.count >= flushThreshold { try? await flush() }
    }

    package func flush() async throws {
        guard !buffer.isEmpty else { return }
        // The buffer's storage goes with the points: kept between rounds it held a round's
        // worth (46,000 points, ~3 MB at 1,000 hosts and 1,000 Docker hosts) for nothing.
        let points = buffer
        buffer = []
        let initial = seriesIDs
        seriesIDs = try await pool.write { db in
            var known = initial
            let insertSeries = try db.cachedStatement(sql: "INSERT INTO series (resourceType, resourceId, metric) VALUES (?, ?, ?)")
            let insertPoint = try db.cachedStatement(sql: "INSERT OR REPLACE INTO point (tier, seriesId, ts, value) VALUES (0, ?, ?, ?)")
            for point in points {
                let id: Int64
                if let existing = known[point.series] {
                    id = existing
                } else {
                    try insertSeries.execute(arguments: [point.series.resourceType, point.series.resourceId, point.series.metric])
                    id = db.lastInsertedRowID
                    known[point.series] = id
                }
                insertPoint.setUncheckedArguments([id, point.timestamp, Self.stored(point.value)])
                try insertPoint.execute()
            }
            return known
        }
        totalWrites += points.count
        lastFlush = Date()
    }

    // MARK: Rollup and retention

    /// Rolls completed buckets into the next tier: raw older than 5 minutes into minutes, whole
    /// hours of minutes into hours, whole days of hours into days. Idempotent.
    package func rollUp(now: Date) async throws {
        try await flush()
        let nowSeconds = Int64(now.timeIntervalSince1970)
        try await pool.write { db in
            var limit = (nowSeconds - 300) / 60 * 60
            for (source, target) in [(MetricTier.raw, MetricTier.minute), (.minute, .hourly), (.hourly, .daily)] {
                let key = "rolled.\(target.name)"
                let end = limit / target.bucket * target.bucket
                let start =
                    try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
                    ?? (try Int64.fetchOne(db, sql: "SELECT MIN(ts) FROM point WHERE tier = ?", arguments: [source.rawValue]).map {
                        $0 / target.bucket * target.bucket
                    })
                    ?? end
                if end > start {
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO point (tier, seriesId, ts, value, min, max)
                            SELECT ?, seriesId, ts / ? * ?, CAST(ROUND(AVG(value)) AS INTEGER), MIN(COALESCE(min, value)), MAX(COALESCE(max, value))
                            FROM point WHERE tier = ? AND ts >= ? AND ts < ? GROUP BY seriesId, ts / ?
                            """,
                        arguments: [target.rawValue, target.bucket, target.bucket, source.rawValue, start, end, target.bucket])
                    try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, end])
                }
                limit = max(end, try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) ?? end)
            }
        }
        lastRollup = now
    }

    /// Changes how long each tier keeps its points, from the next retention pass on.
    package nonisolated func setRetention(_ retention: MetricsRetention) {
        retentionInForce.withLock { $0 = retention }
    }

    /// Deletes what each tier keeps no longer.
    package func applyRetention(now: Date) async throws {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let retention = self.retention
        try await pool.write { db in
            for tier in MetricTier.allCases {
                try db.execute(
                    sql: "DELETE FROM point WHERE tier = ? AND ts < ?",
                    arguments: [tier.rawValue, nowSeconds - Int64(retention.duration(of: tier))])
            }
        }
        try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        lastRetention = now
    }

    // MARK: Reading

    package func history(_ series: SeriesKey, from start: Int64, to end: Int64, tier: MetricTier, limit: Int) async throws -> [MetricSample] {
        try await flush()
        guard let id = seriesIDs[series] else { return [] }
        let rows = try await pool.read { db -> [MetricSample] in
            // The tier's own points, then finer points not rolled up yet, bucketed the same way.
            let watermark =
                tier == .raw
                ? end + 1 : (try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["rolled.\(tier.name)"]) ?? start)
            var samples = try Self.fetch(db, tier: tier, id: id, from: start, to: min(end, watermark - 1))
            if tier != .raw, watermark <= end {
                for finer in MetricTier.allCases where finer.rawValue < tier.rawValue {
                    let finerWatermark =
                        finer == .raw
                        ? end + 1
                        : (try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["rolled.\(finer.name)"]) ?? watermark)
                    let pending = try Self.fetch(db, tier: finer, id: id, from: max(start, watermark), to: min(end, finerWatermark - 1))
                    samples += Self.bucketed(pending, seconds: tier.bucket)
                    if finer != .raw && finerWatermark > end { break }
                }
            }
            return samples.sorted { $0.timestamp < $1.timestamp }
        }
        return Self.downsampled(rows, limit: limit)
    }

    private static func fetch(_ db: Database, tier: MetricTier, id: Int64, from start: Int64, to end: Int64) throws -> [MetricSample] {
        guard end >= start else { return [] }
        return try Row.fetchAll(
            db, sql: "SELECT ts, value, min, max FROM point WHERE tier = ? AND seriesId = ? AND ts BETWEEN ? AND ? ORDER BY ts",
            arguments: [tier.rawValue, id, start, end]
        ).map { row in
            let value: Int64 = row["value"]
            let low: Int64? = row["min"]
            let high: Int64? = row["max"]
            return MetricSample(timestamp: row["ts"] * 1000, value: loaded(value), min: loaded(low ?? value), max: loaded(high ?? value))
        }
    }

    /// Merges samples into buckets of `seconds`: average of values, extremes of the ranges.
    static func bucketed(_ samples: [MetricSample], seconds: Int64) -> [MetricSample] {
        var buckets: [Int64: (sum: Double, count: Double, min: Double, max: Double)] = [:]
        for sample in samples {
            let key = sample.timestamp / 1000 / seconds * seconds
            var bucket = buckets[key] ?? (0, 0, .infinity, -.infinity)
            bucket.sum += sample.value
            bucket.count += 1
            bucket.min = Swift.min(bucket.min, sample.min)
            bucket.max = Swift.max(bucket.max, sample.max)
            buckets[key] = bucket
        }
        return buckets.map { MetricSample(timestamp: $0.key * 1000, value: $0.value.sum / $0.value.count, min: $0.value.min, max: $0.value.max) }
            .sorted { $0.timestamp < $1.timestamp }
    }

    /// At most about `limit` samples: runs of neighbours merged, keeping their extremes.
    static func downsampled(_ samples: [MetricSample], limit: Int) -> [MetricSample] {
        guard limit > 0, samples.count > limit else { return samples }
        let size = (samples.count + limit - 1) / limit
        return stride(from: 0, to: samples.count, by: size).map { index in
            let run = samples[index..<Swift.min(index + size, samples.count)]
            return MetricSample(
                timestamp: run.first!.timestamp, value: run.map(\.value).reduce(0, +) / Double(run.count),
                min: run.map(\.min).min()!, max: run.map(\.max).max()!)
        }
    }

    package func metrics(resourceType: String, resourceId: String) async throws -> [String] {
        try await flush()
        return seriesIDs.keys.filter { $0.resourceType == resourceType && $0.resourceId == resourceId }.map(\.metric).sorted()
    }

    package func stats() async throws -> Stats {
        let counts = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT tier, COUNT(*) AS n FROM point GROUP BY tier").reduce(into: [Int: Int]()) { $0[$1["tier"]] = $1["n"] }
        }
        let size = [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int64 }.reduce(0, +)
        return Stats(
            dbPath: path, dbSize: size, rawCount: counts[0] ?? 0, minuteCount: counts[1] ?? 0, hourlyCount: counts[2] ?? 0,
            dailyCount: counts[3] ?? 0, totalWrites: totalWrites, bufferSize: buffer.count, lastFlush: lastFlush,
            lastRollup: lastRollup, lastRetention: lastRetention)
    }
}
