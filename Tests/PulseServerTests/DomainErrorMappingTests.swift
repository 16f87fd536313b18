import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// The core throws domain errors; the HTTP layer alone decides their statuses.
@Suite("Domain errors become API errors in one place")
struct DomainErrorMappingTests {
    @Test(arguments: [
        (DomainError.Kind.invalid, 400), (.notFound, 404), (.forbidden, 403), (.conflict, 409), (.tooLarge, 413),
    ])
    func eachKindAnswersItsStatusAndKeepsCodeAndDetails(kind: DomainError.Kind, status: Int) {
        let domain = DomainError(kind, code: .identityConflict, message: "host h1 was enrolled with another token", details: ["id": "h1"])
        let api = APIError(domain)
        #expect(Int(api.status.code) == status)
        #expect(api.code.rawValue == "identity_conflict")
        #expect(api.message == domain.message)
        #expect(api.details == ["id": "h1"])
    }

    @Test func anInvalidFieldNamesTheFieldInItsDetails() {
        let api = APIError(DomainError.invalid("offlineConfirmations must be at least 1", field: "offlineConfirmations"))
        #expect(api.status == .badRequest)
        #expect(api.code == .invalidRequest)
        #expect(api.details?["field"] == "offlineConfirmations")
    }
}
