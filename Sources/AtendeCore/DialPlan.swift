/// Turns a canonical number into what the PABX dials (CC-15): the external line, then the local
/// number; or `0` + carrier + area code for another area; or `00` + carrier + country code abroad;
/// `0` + the number for a nationwide one (0800 …, no carrier); a service number (190 …) as it is.
///
/// For example, with area code 48, carrier 21 and external line 0:
/// ```swift
/// let plan = DialPlan(areaCode: "48", carrier: "21", externalLine: "0")
/// plan.dialString(for: try PhoneNumber.parse("4833334444", areaCode: "48"))   // "033334444"
/// plan.dialString(for: try PhoneNumber.parse("11987654321", areaCode: "48"))  // "002111987654321"
/// plan.dialString(for: try PhoneNumber.parse("0800 123 4567", areaCode: "48")) // "008001234567"
/// plan.dialString(for: try PhoneNumber.parse("190", areaCode: "48"))          // "0190"
/// ```
public struct DialPlan: Sendable, Equatable {
    public var areaCode: String
    public var carrier: String
    public var externalLine: String

    public init(areaCode: String, carrier: String, externalLine: String) {
        self.areaCode = areaCode
        self.carrier = carrier
        self.externalLine = externalLine
    }

    /// Which way a number leaves the PABX.
    public enum Reach: String, Sendable, Equatable {
        case local, national, international
        /// 0800, 0300, 0500, 0900: the same number from anywhere in Brazil, no carrier chosen.
        case nationwide
        /// An emergency or public-service number (190 …).
        case service
    }

    public func reach(of n: PhoneNumber) -> Reach {
        if n.countryCode != "55" { return .international }
        if n.isServiceNumber { return .service }
        if n.isNationwide { return .nationwide }
        return n.areaCode == areaCode ? .local : .national
    }

    /// The digits the PABX dials for `n`, the carrier given or the default one.
    public func dialString(for n: PhoneNumber, carrier chosen: String? = nil) -> String {
        let carrier = chosen.flatMap { $0.isEmpty ? nil : $0 } ?? self.carrier
        switch reach(of: n) {
        case .local: return externalLine + n.subscriber
        case .national: return externalLine + "0" + carrier + n.areaCode + n.subscriber
        case .international: return externalLine + "00" + carrier + String(n.e164.dropFirst())
        case .nationwide: return externalLine + "0" + n.subscriber
        case .service: return externalLine + n.subscriber
        }
    }
}
