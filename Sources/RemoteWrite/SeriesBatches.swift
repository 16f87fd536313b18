package import PulseCore

/// Turns one sampling of the exposition families into write requests of at most `batchSamples`
/// samples: every sample its own series (one tick, one sample), named `__name__`, with
/// `pulse_instance` and the operator's labels added.
package struct SeriesBatches: Sendable {
    package var instanceName: String
    package var extraLabels: [MetricLabel]
    package var batchSamples: Int

    package init(instanceName: String, extraLabels: [MetricLabel], batchSamples: Int) {
        self.instanceName = instanceName
        self.extraLabels = extraLabels
        self.batchSamples = max(1, batchSamples)
    }

    /// The requests for `families` sampled at `timestamp` (Unix milliseconds), in family order.
    ///
    /// A series' own label wins over an extra label of the same name (as Prometheus's external
    /// labels do), so an operator's `instance=` cannot rename a node's Proxmox instance.
    package func requests(_ families: [ExpositionFamily], timestamp: Int64) -> [WriteRequest] {
        var requests: [WriteRequest] = []
        var current: [WriteRequest.TimeSeries] = []
        current.reserveCapacity(min(batchSamples, 1024))
        for family in families {
            for sample in family.samples {
                var labels = sample.labels
                labels.append(MetricLabel(name: "__name__", value: family.name))
                labels.append(MetricLabel(name: RemoteWriteLabels.instance, value: instanceName))
                for extra in extraLabels where !labels.contains(where: { $0.name == extra.name }) { labels.append(extra) }
                current.append(.init(labels: labels, samples: [.init(value: sample.value, timestamp: timestamp)]))
                if current.count == batchSamples {
                    requests.append(WriteRequest(timeseries: current))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { requests.append(WriteRequest(timeseries: current)) }
        return requests
    }
}
