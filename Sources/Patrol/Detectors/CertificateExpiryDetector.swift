import Foundation

/// Certificates of configured instances close to expiry (or expired).
struct CertificateExpiryDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "certificate_expiry"

    var rule: String {
        "A configured instance's certificate expires within \(formatted(thresholds.certificateWarningDays)) days; critical within "
            + "\(formatted(thresholds.certificateCriticalDays)) or expired"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        inputs.certificates.compactMap { certificate -> Detection? in
            let days = certificate.notAfter.timeIntervalSince(inputs.now) / 86_400
            guard days <= thresholds.certificateWarningDays else { return nil }
            let expired = days <= 0
            return Detection(
                detector: name, key: certificate.instance, severity: days <= thresholds.certificateCriticalDays ? .critical : .warning,
                category: .security, resourceId: certificate.instance, resourceName: certificate.instance, resourceType: "instance",
                title: expired
                    ? "The certificate of \(certificate.instance) has expired"
                    : "The certificate of \(certificate.instance) expires in \(formatted(days)) days",
                description: "\(certificate.host) presents a certificate valid until \(certificate.notAfter.formatted(.iso8601)).",
                recommendation: "Renew the certificate (pvenode acme, or a new certificate) and update the pinned fingerprint if one is set.",
                evidence: ["days_left": days])
        }
    }
}
