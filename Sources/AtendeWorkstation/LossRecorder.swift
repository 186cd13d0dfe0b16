public import AtendeCore
public import AtendeStore
public import AtendeSwitch
public import Foundation
import Logging

/// The standalone host's record of what its switch lost (SV-9): one loss per caller who gave up,
/// written once into the local store, whatever number of workstations follow the group.
public struct LossRecorder: SwitchRecorder {
    let store: Store
    let calendar: Calendar

    public init(store: Store, calendar: Calendar) {
        self.store = store
        self.calendar = calendar
    }

    public func record(_ events: [SwitchEvent], at now: Date, first: UInt64) {
        for event in events {
            let lost: (SwitchCall, AbandonPlace)?
            switch event {
            case .ended(let call, .abandonedInQueue, _): lost = (call, .queue)
            case .ended(let call, .abandonedAtAgent, _), .ringNoAnswer(let call, _): lost = (call, .agent)
            default: lost = nil
            }
            guard let (call, place) = lost, let service = call.service, let phone = call.phone else { continue }
            let day = calendar.dayKey(now)
            do {
                let contact = try store.contacts.contact(phone: phone)
                try store.losses.record(
                    service: service, phone: phone, contactName: contact?.name, group: call.group ?? "", day: day, at: now,
                    place: place)
            } catch {
                Logger(label: "atende.losses").error("loss not recorded", metadata: ["reason": "\(error)"])
            }
        }
    }
}
