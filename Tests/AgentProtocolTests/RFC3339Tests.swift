import AgentProtocol
import Foundation
import Testing

@Suite("RFC 3339")
struct RFC3339Tests {
    @Test(arguments: [
        ("2024-11-23T17:42:07Z", 0),
        ("2024-11-23T17:42:07.5Z", 500),
        ("2024-11-23T17:42:07.123Z", 123),
        ("2024-11-23T17:42:07.123456Z", 123),
        ("2024-11-23T17:42:07.123456789Z", 123),
        ("2024-11-23T17:42:07.999Z", 999),
        ("2024-11-23t17:42:07.042z", 42),
    ])
    func fractionalDigits(_ text: String, _ millis: Int) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(sameMillisecond(date, unixDate(1_732_383_727, millis: millis)))
    }

    @Test func microsecondsAreKept() throws {
        let date = try #require(RFC3339.parse("2024-11-23T17:42:07.123456Z"))
        #expect(abs(date.timeIntervalSince1970 - 1_732_383_727.123456) < 0.000_000_5)
        // Nine digits round to the nearest microsecond, carrying into the second.
        let carried = try #require(RFC3339.parse("2024-11-23T17:42:07.9999996Z"))
        #expect(carried == unixDate(1_732_383_728))
    }

    @Test(arguments: [
        "2024-11-23T18:42:07+01:00",
        "2024-11-23T12:12:07-05:30",
        "2024-11-24T03:42:07+10:00",
        "2024-11-23T17:42:07+00:00",
        "2024-11-23T17:42:07-00:00",
    ])
    func offsets(_ text: String) throws {
        #expect(RFC3339.parse(text) == unixDate(1_732_383_727))
    }

    @Test func offsetWithFraction() throws {
        let date = try #require(RFC3339.parse("2024-11-23T18:42:07.123456789+01:00"))
        #expect(sameMillisecond(date, unixDate(1_732_383_727, millis: 123)))
    }

    @Test func goZeroTime() throws {
        let date = try #require(RFC3339.parse("0001-01-01T00:00:00Z"))
        #expect(date == Date.goZeroTime)
        #expect(date.isGoZeroTime)
        #expect(Date.goZeroTime.timeIntervalSince1970 == -62_135_596_800)
        #expect(RFC3339.format(.goZeroTime) == "0001-01-01T00:00:00Z")
        #expect(!unixDate(0).isGoZeroTime)
        #expect(!(try #require(RFC3339.parse("0001-01-01T00:00:01Z"))).isGoZeroTime)
    }

    @Test(arguments: [
        "2024-13-01T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-11-23T24:00:00Z",
        "2024-11-23T17:60:07Z",
        "2024-11-23T17:42:60Z",
        "garbage",
        "",
        "2024-11-23T17:42:07",
        "2024-11-23T17:42:07.123",
        "2024-11-23 17:42:07Z",
        "2024-11-23T17:42:07.Z",
        "2024-11-23T17:42:07Zjunk",
        "2024-11-23T17:42:07+0100",
        "2024-11-23T17:42:07+01:60",
        "2024-11-23T17:42:07+24:00",
        "24-11-23T17:42:07Z",
        "2024-1-23T17:42:07Z",
        "+2024-11-23T17:42:07Z",
    ])
    func rejectsInvalid(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func calendarEdges() throws {
        #expect(RFC3339.parse("2024-02-29T12:00:00Z") == unixDate(1_709_208_000))
        #expect(RFC3339.parse("2000-01-01T00:00:00Z") == unixDate(946_684_800))
        #expect(RFC3339.parse("1969-12-31T23:59:59Z") == unixDate(-1))
        #expect(RFC3339.parse("9999-12-31T23:59:59Z") == unixDate(253_402_300_799))
        #expect(RFC3339.parse("2100-02-29T00:00:00Z") == nil)
    }

    @Test func formatting() {
        #expect(RFC3339.format(unixDate(1_732_383_727)) == "2024-11-23T17:42:07Z")
        #expect(RFC3339.format(unixDate(1_732_383_727, millis: 500)) == "2024-11-23T17:42:07.5Z")
        #expect(RFC3339.format(unixDate(1_732_383_727, millis: 120)) == "2024-11-23T17:42:07.12Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_732_383_727.000_001)) == "2024-11-23T17:42:07.000001Z")
        #expect(RFC3339.format(unixDate(-1, millis: 250)) == "1969-12-31T23:59:59.25Z")
        #expect(RFC3339.format(unixDate(253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(RFC3339.format(unixDate(253_402_300_800)) == nil)
        #expect(RFC3339.format(Date(timeIntervalSince1970: .infinity)) == nil)
    }

    @Test(arguments: [
        "2024-11-23T17:42:07.123456789+01:00",
        "2024-11-23T17:42:07.000001Z",
        "2024-11-23T17:42:07.999999Z",
        "1970-01-01T00:00:00.5Z",
        "1969-07-20T20:17:40.25Z",
        "2038-01-19T03:14:08.654321Z",
        "2262-04-11T23:47:16.854775807Z",
    ])
    func parseFormatParseIsStable(_ text: String) throws {
        let date = try #require(RFC3339.parse(text))
        let formatted = try #require(RFC3339.format(date))
        #expect(RFC3339.parse(formatted) == date)
        #expect(RFC3339.format(try #require(RFC3339.parse(formatted))) == formatted)
    }

    @Test func decoderStrategy() throws {
        let decoded = try decode([String: Date].self, #"{"a":"2024-11-23T18:42:07.5+01:00"}"#)
        #expect(decoded["a"] == unixDate(1_732_383_727, millis: 500))
        #expect(throws: DecodingError.self) {
            try decode([String: Date].self, #"{"a":"2024-13-01T00:00:00Z"}"#)
        }
    }
}
