public import Foundation

extension SwitchEvent {
    /// The event as JSON, in the shape its `Codable` conformance has (what `JSONDecoder` reads
    /// back as the same event), written without `JSONEncoder`: the server encodes every event of
    /// the floor once, and the encoder was a sixth of its work.
    public var jsonText: String {
        var w = JSONWriter()
        w.open()
        switch self {
        case .agentChanged(let line):
            w.key("agentChanged"); w.open(); w.key("_0"); w.line(line); w.close()
        case .queued(let c): w.call("queued", c)
        case .ringing(let c): w.call("ringing", c)
        case .dialing(let c): w.call("dialing", c)
        case .connected(let c): w.call("connected", c)
        case .held(let c): w.call("held", c)
        case .retrieved(let c): w.call("retrieved", c)
        case .conferenced(let c): w.call("conferenced", c)
        case .ringNoAnswer(let c, let e): w.call("ringNoAnswer", c, ["extension": e])
        case .declined(let c, let e): w.call("declined", c, ["extension": e])
        case .left(let c, let e): w.call("left", c, ["extension": e])
        case .transferred(let c, let from, let to): w.call("transferred", c, ["from": from, "to": to])
        case .captured(let c, let from, let by): w.call("captured", c, ["from": from, "by": by])
        case .barged(let c, let by): w.call("barged", c, ["by": by])
        case .ended(let c, let reason, let by): w.call("ended", c, ["reason": reason.rawValue, "by": by])
        case .queueChanged(let f):
            w.key("queueChanged"); w.open(); w.key("_0"); w.open()
            w.field("group", f.group)
            w.field("waiting", f.waiting)
            w.field("oldestQueuedAt", f.oldestQueuedAt)
            w.close(); w.close()
        }
        w.close()
        return w.text
    }
}

/// Writes JSON objects field by field, as `JSONEncoder` does for synthesized `Codable` types:
/// optional fields left out when nil, dates as seconds since the reference date, UUIDs as text.
private struct JSONWriter {
    var text = ""
    private var first = true

    mutating func open() {
        text += "{"
        first = true
    }

    mutating func close() {
        text += "}"
        first = false
    }

    mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"" + name + "\":"
    }

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        text += JSONText.quote(value)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    mutating func field(_ name: String, _ value: Date?) {
        guard let value else { return }
        key(name)
        text += "\(value.timeIntervalSinceReferenceDate)"
    }

    mutating func field(_ name: String, _ value: UUID?) {
        field(name, value?.uuidString)
    }

    mutating func field(_ name: String, _ values: [String]) {
        key(name)
        text += "[" + values.map(JSONText.quote).joined(separator: ",") + "]"
    }

    /// `{"case":{"_0":call, "label":value…}}`, the labelled values in their declared order.
    mutating func call(_ name: String, _ call: SwitchCall, _ labelled: KeyValuePairs<String, String?> = [:]) {
        key(name)
        open()
        key("_0")
        self.call(call)
        for (label, value) in labelled { field(label, value) }
        close()
    }

    mutating func call(_ c: SwitchCall) {
        open()
        field("id", c.id)
        field("ordinal", c.ordinal)
        field("type", c.type.rawValue)
        field("service", c.service)
        field("group", c.group)
        field("phone", c.phone)
        field("from", c.from)
        field("agent", c.agent)
        field("to", c.to)
        field("phase", c.phase.rawValue)
        field("onHold", c.onHold)
        field("joined", c.joined)
        field("consultOf", c.consultOf)
        field("declinedBy", c.declinedBy)
        field("queuedAt", c.queuedAt)
        field("ringingAt", c.ringingAt)
        field("answeredAt", c.answeredAt)
        field("endedAt", c.endedAt)
        close()
    }

    mutating func line(_ l: AgentLine) {
        open()
        field("nickname", l.nickname)
        field("extension", l.extension)
        field("groups", l.groups)
        field("loggedIn", l.loggedIn)
        field("pause", l.pause)
        field("pausedSince", l.pausedSince)
        field("wrapUp", l.wrapUp)
        field("helpRequested", l.helpRequested)
        field("state", l.state.rawValue)
        field("stateSince", l.stateSince)
        field("idleSince", l.idleSince)
        field("currentCall", l.currentCall)
        field("heldCall", l.heldCall)
        close()
    }
}
