package import PulseCore

/// Remote write 1.0's `prometheus.WriteRequest`: time series, each with its labels and samples.
///
/// ```
/// message WriteRequest { repeated TimeSeries timeseries = 1; }
/// message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
/// message Label        { string name = 1; string value = 2; }
/// message Sample       { double value = 1; int64 timestamp = 2; }
/// ```
package struct WriteRequest: Sendable, Equatable {
    /// One series: its labels (`__name__` among them) and its samples, oldest first.
    package struct TimeSeries: Sendable, Equatable {
        package var labels: [MetricLabel]
        package var samples: [Sample]

        /// Labels are put in the order the protocol requires: sorted by name, byte by byte.
        package init(labels: [MetricLabel], samples: [Sample]) {
            self.labels = labels.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            self.samples = samples
        }
    }

    package struct Sample: Sendable, Equatable {
        package var value: Double
        /// Unix milliseconds.
        package var timestamp: Int64

        package init(value: Double, timestamp: Int64) {
            self.value = value
            self.timestamp = timestamp
        }
    }

    package var timeseries: [TimeSeries]

    package init(timeseries: [TimeSeries]) {
        self.timeseries = timeseries
    }

    /// Samples in all series.
    package var sampleCount: Int { timeseries.reduce(0) { $0 + $1.samples.count } }

    /// The message in protobuf's wire format (before compression).
    package func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        for series in timeseries {
            writer.message(1) { seriesWriter in
                for label in series.labels {
                    seriesWriter.message(1) { labelWriter in
                        labelWriter.string(1, label.name)
                        labelWriter.string(2, label.value)
                    }
                }
                for sample in series.samples {
                    seriesWriter.message(2) { sampleWriter in
                        sampleWriter.double(1, sample.value)
                        sampleWriter.int64(2, sample.timestamp)
                    }
                }
            }
        }
        return writer.bytes
    }
}
