public import Foundation

/// From the workstation to the CRM (Annex I, 7.2).
///
/// Associated values are clamped when encoded, never refused: `fields` keeps only printable
/// ASCII other than ";" and cuts each field to its first 30 characters, so a sent frame always
/// satisfies Annex I.
public enum CRMEvent: Sendable, Equatable {
    /// 1;service;phone: an incoming call is ringing.
    case incomingRinging(service: String, phone: String)
    /// 2;phone: the workstation started dialling.
    case dialStarted(phone: String)
    /// 3;service;phone: the agent answered an incoming call.
    case incomingAnswered(service: String, phone: String)
    /// 4;phone: the dialled party answered.
    case dialledAnswered(phone: String)
    /// 5: the agent ended the call.
    case endedByAgent
    /// 6: the customer ended the call.
    case endedByCustomer
    /// 9999;dd/mm/yyyy;hh:mm:ss: the workstation's date and time.
    case dateTime(date: String, time: String)

    /// The frame's fields, type first, each clamped to printable ASCII without ";" and 30 characters.
    public var fields: [String] {
        let raw: [String]
        switch self {
        case let .incomingRinging(service, phone): raw = ["1", service, phone]
        case let .dialStarted(phone): raw = ["2", phone]
        case let .incomingAnswered(service, phone): raw = ["3", service, phone]
        case let .dialledAnswered(phone): raw = ["4", phone]
        case .endedByAgent: raw = ["5"]
        case .endedByCustomer: raw = ["6"]
        case let .dateTime(date, time): raw = ["9999", date, time]
        }
        return raw.map { FieldText.clamped($0) }
    }

    /// The encoded frame, STX to ETX.
    public var bytes: [UInt8] { FrameEncoder.encode(fields) }

    /// The date/time reply for `date`, as dd/mm/yyyy and HH:mm:ss in the calendar's time zone.
    public static func dateTime(_ date: Date, calendar: Calendar) -> CRMEvent {
        let parts = calendar.dateComponents([.day, .month, .year, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return .dateTime(
            date: "\(pad(parts.day, 2))/\(pad(parts.month, 2))/\(pad(parts.year, 4))",
            time: "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))")
    }
}
