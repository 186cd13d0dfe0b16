/// A command the CRM asks for through the TXT screen-transfer folder (Annex II).
public enum TXTCommand: Sendable, Equatable {
    /// `LA.txt`: answer the ringing call.
    case answer
    /// `LS.txt`: dial the number inside (digits, optionally with a leading `+`).
    case dial(String)
    /// `LD.txt`: hang up the current call.
    case hangup
}
