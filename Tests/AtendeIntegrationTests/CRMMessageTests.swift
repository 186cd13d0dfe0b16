import Foundation
import Testing
@testable import AtendeIntegration

private func frame(_ text: String) -> [UInt8] { [0x02] + Array(text.utf8) + [0x03] }

@Suite struct CRMMessageTests {
    @Test(arguments: [
        ("1", CRMCommand.answer),
        ("2", .hangup),
        ("3;;;;32819500", .dialExternal(carrier: "", ddi: "", ddd: "", phone: "32819500")),
        ("3;21;;11;987654321", .dialExternal(carrier: "21", ddi: "", ddd: "11", phone: "987654321")),
        ("3;21;55;11;987654321", .dialExternal(carrier: "21", ddi: "55", ddd: "11", phone: "987654321")),
        ("4;2071", .dialExtension("2071")),
        ("5;1", .eventualPause(on: true)),
        ("5;0", .eventualPause(on: false)),
        ("6;101;1", .productivePause(code: "101", on: true)),
        ("6; ;0", .productivePause(code: "", on: false)),
        ("6;;0", .productivePause(code: "", on: false)),
        ("6;101;0", .productivePause(code: "101", on: false)),
        ("9999", .requestDateTime),
        ("0001", .answer),
        (" 5 ; 1 ", .eventualPause(on: true)),
        ("4; 2071 ", .dialExtension("2071")),
        ("5;1;", .eventualPause(on: true)),
        ("1;", .answer),
        ("09999", .requestDateTime),
    ] as [(String, CRMCommand)])
    func parsesAcceptedForms(text: String, expected: CRMCommand) throws {
        var decoder = FrameDecoder()
        let items = decoder.feed(frame(text))
        guard case let .frame(fields)? = items.first, items.count == 1 else {
            Issue.record("not a frame: \(items)")
            return
        }
        #expect(try CRMCommand.parse(fields) == expected)
    }

    @Test(arguments: [
        ("", CRMCommandError.unknownType("")),
        ("7", .unknownType("7")),
        ("0", .unknownType("0")),
        ("abc", .unknownType("abc")),
        ("-1", .unknownType("-1")),
        ("1 2", .unknownType("1 2")),
        ("99999999999999999999999", .unknownType("99999999999999999999999")),
        ("1;x", .wrongFieldCount(type: "1", expected: 1, found: 2)),
        ("2;;", .wrongFieldCount(type: "2", expected: 1, found: 3)),
        ("3;;;32819500", .wrongFieldCount(type: "3", expected: 5, found: 4)),
        ("3;;;;", .invalidField(type: "3", field: "phone", value: "")),
        ("3;;;;3281-9500", .invalidField(type: "3", field: "phone", value: "3281-9500")),
        ("3;x;;;32819500", .invalidField(type: "3", field: "carrier", value: "x")),
        ("3;;+55;;32819500", .invalidField(type: "3", field: "ddi", value: "+55")),
        ("3;;;1 1;32819500", .invalidField(type: "3", field: "ddd", value: "1 1")),
        ("4", .wrongFieldCount(type: "4", expected: 2, found: 1)),
        ("4;", .invalidField(type: "4", field: "extension", value: "")),
        ("4;20a1", .invalidField(type: "4", field: "extension", value: "20a1")),
        ("5;2", .invalidField(type: "5", field: "status", value: "2")),
        ("5;01", .invalidField(type: "5", field: "status", value: "01")),
        ("5;", .invalidField(type: "5", field: "status", value: "")),
        ("5;1;1", .wrongFieldCount(type: "5", expected: 2, found: 3)),
        ("6;;1", .invalidField(type: "6", field: "code", value: "")),
        ("6; ;1", .invalidField(type: "6", field: "code", value: "")),
        ("6;ab;0", .invalidField(type: "6", field: "code", value: "ab")),
        ("6;101", .wrongFieldCount(type: "6", expected: 3, found: 2)),
        ("6;101;", .invalidField(type: "6", field: "status", value: "")),
        ("6", .wrongFieldCount(type: "6", expected: 3, found: 1)),
        ("9999;1", .wrongFieldCount(type: "9999", expected: 1, found: 2)),
    ] as [(String, CRMCommandError)])
    func refuses(text: String, expected: CRMCommandError) {
        let fields = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        #expect(throws: expected) { try CRMCommand.parse(fields) }
    }

    @Test func refusesEmptyFieldList() {
        #expect(throws: CRMCommandError.unknownType("")) { try CRMCommand.parse([]) }
    }

    @Test func refusesOverlongDigits() {
        let long = String(repeating: "1", count: 31)
        #expect(throws: CRMCommandError.invalidField(type: "4", field: "extension", value: long)) {
            try CRMCommand.parse(["4", long])
        }
    }

    @Test(arguments: [
        (CRMEvent.incomingRinging(service: "40009938", phone: "4832819500"), frame("1;40009938;4832819500")),
        (.dialStarted(phone: "1132819500"), frame("2;1132819500")),
        (.incomingAnswered(service: "40009938", phone: "4832819500"), frame("3;40009938;4832819500")),
        (.dialledAnswered(phone: "1132819500"), frame("4;1132819500")),
        (.endedByAgent, [0x02, 0x35, 0x03]),
        (.endedByCustomer, [0x02, 0x36, 0x03]),
        (.dateTime(date: "05/03/2025", time: "09:07:01"), frame("9999;05/03/2025;09:07:01")),
        (.dialStarted(phone: ""), [0x02, 0x32, 0x3B, 0x03]),
    ] as [(CRMEvent, [UInt8])])
    func encodesEventsByteExact(event: CRMEvent, expected: [UInt8]) {
        #expect(event.bytes == expected)
    }

    @Test func eventFieldsAreClamped() {
        let long = String(repeating: "8", count: 45)
        let event = CRMEvent.incomingRinging(service: "4000;9938", phone: long + "é\u{1}")
        #expect(event.fields == ["1", "40009938", String(repeating: "8", count: 30)])
        var decoder = FrameDecoder()
        #expect(decoder.feed(event.bytes) == [.frame(event.fields)])
    }

    @Test func dateTimeUsesTheCalendarTimeZone() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "America/Sao_Paulo"))
        let date = Date(timeIntervalSince1970: 1_741_136_821)
        #expect(CRMEvent.dateTime(date, calendar: calendar) == .dateTime(date: "04/03/2025", time: "22:07:01"))
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        #expect(CRMEvent.dateTime(date, calendar: calendar).bytes == frame("9999;05/03/2025;01:07:01"))
    }
}
