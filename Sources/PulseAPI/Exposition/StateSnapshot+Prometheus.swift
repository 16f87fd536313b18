import PulseCore

extension StateSnapshot {
    /// The monitored data in Prometheus's text format: the families remote write also sends.
    func prometheusExposition() -> String {
        PrometheusText.render(expositionFamilies())
    }
}
