public import AtendeCore
public import Foundation

extension CallSwitch {
    /// Carries out a request; the same as calling the method it names.
    public func perform(_ r: SwitchRequest, now: Date) throws(SwitchRefusal) -> [SwitchEvent] {
        switch r {
        case .login(let e, let paused, let agent): return try login(extension: e, paused: paused, agent: agent, now: now)
        case .logout(let e): return try logout(extension: e, now: now)
        case .pause(let e, let reason): return try pause(extension: e, reason: reason, now: now)
        case .unpause(let e): return try unpause(extension: e, now: now)
        case .wrapUp(let e, let on): return try setWrapUp(extension: e, on, now: now)
        case .help(let e, let on): return try setHelp(extension: e, on, now: now)
        case .answer(let e): return try answer(extension: e, now: now)
        case .hangup(let e): return try hangup(extension: e, now: now)
        case .dial(let e, let phone): return try dial(extension: e, phone: phone, now: now)
        case .call(let e, let target): return try call(extension: e, target: target, now: now)
        case .hold(let e): return try hold(extension: e, now: now)
        case .consult(let e, let target): return try consult(extension: e, target: target, now: now)
        case .transfer(let e, let target): return try transfer(extension: e, target: target, now: now)
        case .completeTransfer(let e): return try completeTransfer(extension: e, now: now)
        case .returnToHeld(let e): return try returnToHeld(extension: e, now: now)
        case .conference(let e): return try conference(extension: e, now: now)
        case .capture(let e): return try capture(extension: e, now: now)
        case .barge(let e, let target): return try barge(extension: e, target: target, now: now)
        case .incoming(let phone, let service): return try incoming(phone: phone, service: service, now: now)
        case .directIncoming(let phone, let e): return try directIncoming(phone: phone, extension: e, now: now)
        case .remoteAnswer(let e): return try remoteAnswer(extension: e, now: now)
        case .remoteHangup(let e): return try remoteHangup(extension: e, now: now)
        case .abandonOldest: return try abandonOldest(now: now)
        case .abandon(let id): return try abandon(call: id, now: now)
        }
    }
}
