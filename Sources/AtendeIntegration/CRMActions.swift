import AtendeCore
import AtendeWorkstation
import Foundation

/// What each CRM message does on the workstation: the same calls, and so the same rules, as the REPL's.
enum CRMActions {
    static func apply(_ command: CRMCommand, to ws: Workstation) async throws -> [WorkstationEvent] {
        switch command {
        case .answer: return try await ws.answer()
        case .hangup: return try await ws.hangup()
        case .dialExternal(let carrier, let ddi, let ddd, let phone):
            return try await ws.dial(number(ddi: ddi, ddd: ddd, phone: phone), carrier: carrier.isEmpty ? nil : carrier)
        case .dialExtension(let ext): return try await ws.call(ext)
        case .eventualPause(let on): return try await (on ? ws.pause(nil) : ws.unpause())
        case .productivePause(let code, let on):
            guard on else { return try await ws.unpause() }
            guard ws.registry.pauseReasons.contains(where: { $0.kind == .productive && $0.code == code }) else {
                throw AtendeError.unknownPauseReason(code)
            }
            return try await ws.pause(code)
        case .requestDateTime: return []
        }
    }

    static func apply(_ command: TXTCommand, to ws: Workstation) async throws -> [WorkstationEvent] {
        switch command {
        case .answer: return try await ws.answer()
        case .hangup: return try await ws.hangup()
        case .dial(let number): return try await ws.dial(number)
        }
    }

    /// The number as the dial rules read it: `+DDI…` abroad, `DDD…` in Brazil, bare when local.
    static func number(ddi: String, ddd: String, phone: String) -> String {
        if !ddi.isEmpty && ddi != "55" { return "+" + ddi + ddd + phone }
        return ddd + phone
    }
}

/// The frames Annex I sends to the CRM for the agent's calls.
enum CRMEvents {
    static func frame(for event: WorkstationEvent, registry: Registry) -> CRMEvent? {
        switch event {
        case .ringing(let call, _) where call.type != .internal:
            return .incomingRinging(service: serviceNumber(call, registry), phone: national(call.phone ?? ""))
        case .dialing(let call, _) where call.type == .outbound:
            return .dialStarted(phone: national(call.phone ?? ""))
        case .answered(let call) where call.type != .internal:
            return .incomingAnswered(service: serviceNumber(call, registry), phone: national(call.phone ?? ""))
        case .calledPartyAnswered(let call) where call.type == .outbound:
            return .dialledAnswered(phone: national(call.phone ?? ""))
        case .ended(let a, let by) where a.type != .internal:
            return by == .customer ? .endedByCustomer : .endedByAgent
        case .missed(let call) where call.type != .internal, .ringTimedOut(let call) where call.type != .internal:
            return .endedByCustomer
        case .declined(let call, _) where call.type != .internal:
            return .endedByAgent
        default:
            return nil
        }
    }

    /// The service's number (the field "Nro. serviço"), empty for direct calls.
    static func serviceNumber(_ call: SwitchCall, _ registry: Registry) -> String {
        guard let name = call.service else { return "" }
        return registry.service(name)?.number ?? name
    }

    /// Area code joined in front, no separators (Annex I 7.1); other countries with their code.
    static func national(_ phone: String) -> String {
        guard let n = try? PhoneNumber.parse(phone, areaCode: "") else { return PhoneNumber.digits(of: phone) }
        return n.countryCode == "55" ? n.national : String(n.e164.dropFirst())
    }
}
