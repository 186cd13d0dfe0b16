import AtendeCore
public import AtendeIntegration
public import AtendeWorkstation
import Foundation

extension REPL: ScreenTransferHost {
    /// A CRM command runs like a typed one: in turn, under the same rules; its events are shown,
    /// a refusal is shown as one line and changes nothing.
    @discardableResult
    public func perform(_ source: String, _ body: (Workstation) throws -> [WorkstationEvent]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let print = asyncOut ?? out
        do {
            let events = try body(workstation)
            for e in events {
                for l in renderer.render(eventOutput(e)) { print(l) }
            }
            ringIfDue()
            return true
        } catch {
            let reason = catalogue.error(error)
            (asyncOut ?? err)(catalogue.text(.crmRefused(source: source, reason: String(reason.dropFirst("error: ".count)))))
            return false
        }
    }

    /// The screen-transfer line of `status`.
    func screenTransferLine() -> String? {
        guard let state = screenTransfer?.state else { return nil }
        var mode = state.mode.description
        if case .tcp(let host, _) = state.mode, let port = state.port { mode = "tcp \(host):\(port)" }
        return catalogue.text(.screenTransferStatus(mode: mode, clients: state.clients.isEmpty ? "0" : "\(state.clients.count) (\(state.clients.joined(separator: ", ")))"))
    }
}
