/// Maximum request body sizes, in bytes, for the agent endpoints. Larger bodies are rejected.
public enum ReportLimits {
    /// Host report: 256 KiB.
    public static let hostReportBytes = 256 * 1024
    /// Docker report: 512 KiB (Pulse v5.0.0; v5.1.36 raised it to 2 MiB for hosts with many containers).
    public static let dockerReportBytes = 512 * 1024
    /// Kubernetes report: 2 MiB.
    public static let kubernetesReportBytes = 2 * 1024 * 1024
    /// Docker command ack: 8 KiB.
    public static let commandAckBytes = 8 * 1024
}
