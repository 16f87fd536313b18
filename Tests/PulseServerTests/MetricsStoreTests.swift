import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Metrics history: store, rollups, retention, chart buffers, endpoints")
struct MetricsStoreTests {
    static let cpu = SeriesKey(resourceType: "node", resourceId: "lab-pve1", metric: "cpu")
    static let start: Int64 = 1_750_000_000 / 3600 * 3600  // on an hour boundary

    static func withStore<T>(_ body: (SQLiteMetricsStore, URL) async throws -> T) async throws -> T {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteMetricsStore(path: folder.appendingPathComponent("metrics.db").path)
        return try await body(store, folder)
    }

    @Test func pointsComeBackWithMillisecondTimesAndSurviveAReopen() async throws {
        try await Self.withStore { store, folder in
            await store.record((0..<6).map { MetricPoint(series: Self.cpu, timestamp: Self.start + Int64($0) * 10, value: 10.123 + Double($0)) })
            let raw = try await store.history(Self.cpu, from: Self.start, to: Self.start + 60, tier: .raw, limit: 500)
            #expect(raw.count == 6)
            #expect(raw.first == MetricSample(timestamp: Self.start * 1000, value: 10.12, min: 10.12, max: 10.12))
            let reopened = try SQLiteMetricsStore(path: folder.appendingPathComponent("metrics.db").path)
            #expect(try await reopened.history(Self.cpu, from: Self.start, to: Self.start + 60, tier: .raw, limit: 500).count == 6)
            #expect(try await reopened.metrics(resourceType: "node", resourceId: "lab-pve1") == ["cpu"])
        }
    }

    /// A mapped page the writer touches counts in the server's resident set (a sampling round
    /// touches every series' newest leaf page); the store reads through its bounded page cache.
    @Test func theWriterMapsNoPartOfTheDatabaseFile() async throws {
        try await Self.withStore { store, folder in
            // As the kernel names it in the maps: with every symbolic link in the folder's path resolved.
            let path = folder.appendingPathComponent("metrics.db").resolvingSymlinksInPath().path
            for round in 0..<30 {
                await store.record(
                    (0..<500).map { index in
                        MetricPoint(
                            series: SeriesKey(resourceType: "vm", resourceId: "lab:\(index)", metric: "cpu"),
                            timestamp: Self.start + Int64(round) * 10, value: Double(index))
                    })
                try await store.flush()
            }
            #expect(try await store.stats().rawCount == 15_000)
            let maps = try #require(ProcFile.read("/proc/self/maps"))
            let mapped = maps.split(separator: "\n").filter { $0.hasSuffix(" " + path) }
            #expect(mapped.isEmpty, "mapped: \(mapped)")
            // The shared-memory index of the write-ahead log is mapped by design: the check above
            // looks at the right process and folder.
            #expect(maps.split(separator: "\n").contains { $0.hasSuffix(" " + path + "-shm") })
        }
    }

    @Test func rollupsKeepAverageMinimumAndMaximumPerTier() async throws {
        try await Self.withStore { store, _ in
            // Two hours of 10 s samples: value = minute of the hour (0…59), so each minute is
            // constant and each hour averages 29.5 between 0 and 59.
            let points = (0..<720).map { index -> MetricPoint in
                let timestamp = Self.start + Int64(index) * 10
                return MetricPoint(series: Self.cpu, timestamp: timestamp, value: Double((timestamp - Self.start) / 60 % 60))
            }
            await store.record(points)
            try await store.rollUp(now: Date(timeIntervalSince1970: TimeInterval(Self.start + 3 * 3600)))
            let minutes = try await store.history(Self.cpu, from: Self.start, to: Self.start + 7200, tier: .minute, limit: 1000)
            #expect(minutes.count == 120)
            #expect(minutes[5] == MetricSample(timestamp: (Self.start + 300) * 1000, value: 5, min: 5, max: 5))
            let hours = try await store.history(Self.cpu, from: Self.start, to: Self.start + 7200, tier: .hourly, limit: 1000)
            #expect(hours.count == 2)
            #expect(hours.first.map { abs($0.value - 29.5) < 0.01 && $0.min == 0 && $0.max == 59 } == true)
            // Retention: three hours later, raw points (2 h) are gone, minutes (24 h) stay.
            try await store.applyRetention(now: Date(timeIntervalSince1970: TimeInterval(Self.start + 5 * 3600)))
            #expect(try await store.history(Self.cpu, from: Self.start, to: Self.start + 7200, tier: .raw, limit: 1000).isEmpty)
            #expect(try await store.history(Self.cpu, from: Self.start, to: Self.start + 7200, tier: .minute, limit: 1000).count == 120)
            let stats = try await store.stats()
            #expect(stats.rawCount == 0 && stats.minuteCount == 120 && stats.hourlyCount == 2 && stats.totalWrites == 720)
            // Downsampling keeps the extremes of the merged points.
            let coarse = try await store.history(Self.cpu, from: Self.start, to: Self.start + 7200, tier: .minute, limit: 10)
            #expect(coarse.count == 10 && coarse[0].min == 0 && coarse[0].max == 11)
        }
    }

    @Test func aCoarseTierIncludesFinerPointsNotRolledUpYet() async throws {
        try await Self.withStore { store, _ in
            await store.record((0..<12).map { MetricPoint(series: Self.cpu, timestamp: Self.start + Int64($0) * 10, value: Double($0)) })
            let minutes = try await store.history(Self.cpu, from: Self.start, to: Self.start + 600, tier: .minute, limit: 100)
            #expect(minutes.map(\.timestamp) == [Self.start * 1000, (Self.start + 60) * 1000])
            #expect(minutes.first.map { $0.value == 2.5 && $0.min == 0 && $0.max == 5 } == true)
        }
    }

    @Test func chartRingsStayBoundedAndAverageTheirSlots() {
        var rings = ChartRings<UInt16>(steps: [30], capacity: 120)
        let row = rings.makeRow()
        for second in 0..<36_000 { rings.add(Double(second % 60), at: Self.start + Int64(second), row: row) }
        let points = rings.points(row: row, ring: 0, since: Self.start)
        #expect(points.count == 120, "10 hours of 1 s samples still fit in 120 slots")
        #expect(points.allSatisfy { abs($0.value - 29.5) < 0.01 || abs($0.value - 14.5) < 0.01 || abs($0.value - 44.5) < 0.01 })
        #expect(points.last?.timestamp == (Self.start + 35_999) / 30 * 30 * 1000)
    }

    @Test func chartSlotsKeepTheirValuesWhenTheRangeWidensAndRowsAreReused() async {
        var rings = ChartRings<UInt16>(steps: [30, 720], capacity: 120)
        let row = rings.makeRow()
        // A rate that grows by four orders of magnitude: the range widens several times.
        let values: [Double] = [12.5, 0, 80, 3_000, 125_000, 99.9, 7]
        for (index, value) in values.enumerated() { rings.add(value, at: Self.start + Int64(index) * 30, row: row) }
        let points = rings.points(row: row, ring: 0, since: Self.start)
        #expect(points.count == values.count)
        for (point, value) in zip(points, values) {
            #expect(abs(point.value - value) <= 125_000 * 2 / 65_534 + 0.001, "\(point.value) for \(value)")
        }
        #expect(points.map(\.timestamp) == values.indices.map { (Self.start + Int64($0) * 30) / 30 * 30 * 1000 })
        #expect(rings.points(row: row, ring: 1, since: Self.start).map(\.value).count == 1, "one 12-minute slot")
        // Gaps stay gaps; a sample older than the newest slot is ignored.
        rings.add(50, at: Self.start + 30 * 20, row: row)
        rings.add(60, at: Self.start, row: row)
        #expect(rings.points(row: row, ring: 0, since: Self.start).count == values.count + 1)

        let buffers = ChartBuffers()
        let gone = SeriesKey(resourceType: "dockerContainer", resourceId: "d1/c0", metric: "cpu")
        let kept = SeriesKey(resourceType: "host", resourceId: "h1", metric: "cpu")
        await buffers.add([MetricPoint(series: gone, timestamp: Self.start, value: 90), MetricPoint(series: kept, timestamp: Self.start, value: 10)])
        await buffers.keep(["h1"])
        #expect(await buffers.seriesCount == 1)
        let replacement = SeriesKey(resourceType: "dockerContainer", resourceId: "d1/c1", metric: "cpu")
        await buffers.add([MetricPoint(series: replacement, timestamp: Self.start + 30, value: 5)])
        let all = await buffers.points(span: 300, now: Self.start + 60)
        #expect(all[replacement]?.map(\.value) == [5], "a reused row starts empty")
        #expect(all[kept]?.map(\.value) == [10])
        #expect(all[gone] == nil)
    }

    @Test func dayAndWeekChartsKeepTheirEightBitSlotsWithinAPointOfTheMean() async {
        let buffers = ChartBuffers()
        let key = SeriesKey(resourceType: "host", resourceId: "h1", metric: "cpu")
        // One sample per 12-minute slot for a day, jumping around 0-100 so the range widens
        // (and the stored slots are requantized) several times.
        let values = (0..<120).map { Double($0 * 37 % 101) }
        for (index, value) in values.enumerated() {
            await buffers.add([MetricPoint(series: key, timestamp: Self.start + Int64(index) * 720, value: value)])
        }
        let now = Self.start + 119 * 720
        let day = await buffers.points(span: 86_400, now: now)[key] ?? []
        #expect(day.count == values.count)
        for (point, value) in zip(day, values) { #expect(abs(point.value - value) <= 1, "\(point.value) for \(value)") }
        #expect(day.last?.value == values.last, "the slot being filled is exact")
        let week = await buffers.points(span: 7 * 86_400, now: now)[key] ?? []
        #expect(week.count == 18, "a day of 84-minute slots (17 and the one being filled)")
        let hour = await buffers.points(span: 3_600, now: now)[key] ?? []
        #expect(hour.count == 5, "the samples of the last hour")
        for (point, value) in zip(hour, values.suffix(5)) {
            #expect(abs(point.value - value) <= 0.01, "the hour keeps 16-bit slots: \(point.value) for \(value)")
        }
    }

    @Test func samplingFillsTheHistoryAndChartsAndTheEndpointsCheckTheirParameters() async throws {
        try await TestServer.with { server, client in
            let admin: HTTPFields = [.apiToken: TestServer.adminToken]
            _ = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 42))
            _ = try await client.post(
                "/api/agents/docker/report", token: TestServer.adminToken, body: AgentPayloads.docker(hostname: "dock", agentID: "d1"))
            let sampler = server.metricsSampler()
            for _ in 0..<3 {
                await sampler.sample(at: server.time.now())
                server.time.advance(by: 30)
            }
            let history = try await client.execute(
                uri: "/api/metrics-store/history?resourceType=host&resourceId=h1&metric=cpu&range=1h", method: .get, headers: admin
            ) { try $0.jsonObject() }
            let points = history["points"] as? [[String: Any]] ?? []
            #expect(points.count == 3 && points.first?["value"] as? Double == 42)
            #expect((points.first?["timestamp"] as? Int64).map { $0 > 1_000_000_000_000 } == true, "milliseconds")
            let all = try await client.execute(uri: "/api/metrics-store/history?resourceType=host&resourceId=h1", method: .get, headers: admin) {
                try $0.jsonObject()
            }
            #expect(Set((all["metrics"] as? [String: Any])?.keys.map { $0 } ?? []) == ["cpu", "memory", "disk", "temperature"])

            let charts = try await client.execute(uri: "/api/charts?range=5m", method: .get, headers: admin) { try $0.jsonObject() }
            #expect(((charts["hostData"] as? [String: Any])?["h1"] as? [String: Any])?["cpu"] != nil)
            #expect(((charts["dockerData"] as? [String: Any])?["d1/c0"] as? [String: Any])?["memory"] != nil)

            for bad in [
                "/api/charts?range=2y", "/api/metrics-store/history?resourceId=h1",
                "/api/metrics-store/history?resourceType=host&resourceId=h1&range=soon",
            ] {
                let response = try await client.execute(uri: bad, method: .get, headers: admin)
                #expect(response.status == .badRequest, "\(bad)")
            }
            let stats = try await client.execute(uri: "/api/metrics-store/stats", method: .get, headers: admin) { try $0.jsonObject() }
            #expect((stats["rawCount"] as? Int ?? 0) > 0 && (stats["dbPath"] as? String)?.hasSuffix("metrics.db") == true)
        }
    }
}
