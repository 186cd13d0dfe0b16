public import AtendeCore
public import AtendeSync
public import Foundation
import GRDB

/// What a pull makes of one change: the record as the server's changes make it (kept), the
/// record as the workstation shows it (that, with the operations still queued here), and the
/// values that lost.
public struct PulledRecord: Sendable {
    public var replica: SyncRecord
    public var shown: SyncRecord
    public var overwrites: [SyncOverwrite]

    public init(replica: SyncRecord, shown: SyncRecord, overwrites: [SyncOverwrite]) {
        self.replica = replica
        self.shown = shown
        self.overwrites = overwrites
    }
}

/// The workstation's side of sync (SV-5): the server's changes, merged record by record into the
/// tables the REPL reads, the cursor it is complete up to, and the values that lost.
///
/// The merging is the caller's (the conflict rules live in AtendeSync); this writes what it
/// decides, a page in one transaction with the cursor, so a pull cut by a crash starts again
/// from the last page it finished. For example:
/// ```swift
/// let page = try await transport.pull(after: try store.sync.cursor(), limit: 1000)
/// try store.sync.apply(page) { change, replica, queued in … }
/// ```
public final class SyncRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper
    /// The store's calendar: the day a pulled loss counts in.
    let calendar: Calendar

    init(pool: DatabasePool, stamper: Stamper, timeZone: TimeZone) {
        self.pool = pool
        self.stamper = stamper
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The server change this workstation is complete up to (0: none yet).
    public func cursor() throws -> UInt64 {
        try pool.reading { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM sync_cursors WHERE name = 'server'").flatMap { UInt64($0) } ?? 0
        }
    }

    /// When the last pull completed, if one did.
    public func lastComplete() throws -> Date? {
        try pool.reading { db in
            try Int64.fetchOne(db, sql: "SELECT synced_at FROM sync_cursors WHERE name = 'server'").map(Date.init(unixSeconds:))
        }
    }

    /// Applies a page of the server's changes in one transaction: for each, `merge` is given the
    /// change, the record as kept, and the operations still queued for it; its result is kept,
    /// shown in the REPL's tables, and its lost values recorded. The cursor moves to the page's
    /// checkpoint. Returns the records shown that changed, by entity.
    @discardableResult
    public func apply(
        _ page: SyncPage, merge: (SyncChange, SyncRecord?, [SyncOperation]) -> PulledRecord
    ) throws -> [SyncEntity: Int] {
        try pool.writing { db in
            var shown: [SyncEntity: Int] = [:]
            let now = stamper.now
            var latest: HLCStamp?
            for change in page.changes {
                let operation = change.operation
                for stamp in [operation.hlc] + operation.stamps.values where latest.map({ stamp > $0 }) ?? true { latest = stamp }
                let kept = try SyncReplica.record(db, entity: operation.entity.rawValue, id: operation.entityID)
                let queued = try SyncReplica.queued(db, entity: operation.entity.rawValue, id: operation.entityID)
                let pulled = merge(change, kept, queued)
                try SyncReplica.keep(db, pulled.replica)
                for lost in pulled.overwrites { try SyncReplica.recordConflict(db, lost, at: now) }
                if try SyncReplica.show(db, pulled.shown, stamper: stamper, calendar: calendar, first: kept == nil) { shown[operation.entity, default: 0] += 1 }
            }
            if let latest { try stamper.observe(latest, db) }
            try db.execute(
                sql: """
                    INSERT INTO sync_cursors (name, cursor, synced_at) VALUES ('server', ?, ?)
                    ON CONFLICT(name) DO UPDATE SET cursor = excluded.cursor,
                        synced_at = CASE WHEN ? THEN excluded.synced_at ELSE sync_cursors.synced_at END
                    """, arguments: [String(page.checkpoint), page.complete ? now.unixSeconds : nil, page.complete])
            return shown
        }
    }

    /// The values that lost, newest first, at most `limit`.
    public func conflicts(limit: Int = 100) throws -> [SyncConflict] {
        try pool.reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_conflicts ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.conflict)
        }
    }

    /// How many values lost and were not put back.
    public func openConflictCount() throws -> Int {
        try pool.reading { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sync_conflicts WHERE restored_at IS NULL") ?? 0 }
    }

    public func conflict(number: Int) throws -> SyncConflict? {
        try pool.reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sync_conflicts WHERE id = ?", arguments: [number]).map(Self.conflict)
        }
    }

    /// Records that conflict `number` was put back (by a new edit the caller made).
    public func markRestored(_ number: Int) throws {
        try pool.writing { db in
            try db.execute(sql: "UPDATE sync_conflicts SET restored_at = ? WHERE id = ?", arguments: [stamper.now.unixSeconds, number])
        }
    }

    /// `record` with `field` set to `value` (nil: emptied), as its payload's field; nil when the
    /// value does not fit the field.
    public static func patched<T: Codable>(_ record: T, field: String, value: SyncValue?) -> T? {
        guard var fields = try? JSONDecoder().decode([String: SyncValue].self, from: JSONEncoder.sync.encode(record)) else { return nil }
        fields[field] = value
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(T.self, from: JSONEncoder().encode(fields))
    }

    static func conflict(_ row: Row) throws -> SyncConflict {
        let workstation: String? = row["lost_workstation"], agent: String? = row["lost_agent"]
        let overwrite = SyncOverwrite(
            entity: SyncEntity(rawValue: row["entity"]) ?? .note, id: row["entity_id"], field: row["field"],
            lost: try (row["lost"] as String?).map { try JSONDecoder().decode(SyncValue.self, from: Data($0.utf8)) },
            lostStamp: HLCStamp(row["lost_hlc"]) ?? HLCStamp(millis: 0, counter: 0, node: ""),
            lostOrigin: workstation.map { SyncOrigin(workstation: $0, agent: agent ?? "") },
            reason: SyncOverwrite.Reason(rawValue: row["reason"]) ?? .concurrent)
        return SyncConflict(number: row["id"], overwrite: overwrite, recordedAt: row.date("recorded_at")!, restoredAt: row.date("restored_at"))
    }
}

/// The SQL of the replica: records as merged, queued operations as the contract's, and the
/// tables the REPL reads written from a merged record.
enum SyncReplica {
    static func record(_ db: Database, entity: String, id: String) throws -> SyncRecord? {
        try String.fetchOne(
            try db.cachedStatement(sql: "SELECT record FROM sync_replica WHERE entity = ? AND entity_id = ?"), arguments: [entity, id]
        ).map { try decoder.decode(SyncRecord.self, from: Data($0.utf8)) }
    }

    static func keep(_ db: Database, _ record: SyncRecord) throws {
        try db.cachedStatement(sql: """
                INSERT INTO sync_replica (entity, entity_id, record) VALUES (?, ?, ?)
                ON CONFLICT (entity, entity_id) DO UPDATE SET record = excluded.record
                """).execute(arguments: [record.entity.rawValue, record.id, try json(record)])
    }

    static func recordConflict(_ db: Database, _ lost: SyncOverwrite, at time: Date) throws {
        try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO sync_conflicts
                    (entity, entity_id, field, lost, lost_hlc, lost_workstation, lost_agent, reason, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                lost.entity.rawValue, lost.id, lost.field, try lost.lost.map(json), lost.lostStamp.description,
                lost.lostOrigin?.workstation, lost.lostOrigin?.agent, lost.reason.rawValue, time.unixSeconds,
            ])
    }

    /// The operations still queued for one record, oldest first.
    static func queued(_ db: Database, entity: String, id: String) throws -> [SyncOperation] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM outbox WHERE entity = ? AND entity_id = ? ORDER BY seq"), arguments: [entity, id]
        ).map { OutboxEntry(row: $0).operation() }
    }

    /// The stamps of what an update or deletion changes, as the replica holds them: each field's
    /// (`fields`, a shared record's) or the whole record's (`*`); nil when it holds none.
    static func bases(_ db: Database, entity: String, id: String, fields: [String]?) throws -> String? {
        guard let record = try record(db, entity: entity, id: id) else { return nil }
        var bases: [String: HLCStamp] = [:]
        if let fields {
            for field in fields { bases[field] = record.stamps[field] }
        } else {
            bases["*"] = record.stamps["*"]
        }
        return bases.isEmpty ? nil : try json(bases)
    }

    private static let decoder = JSONDecoder()
    private static let dates: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }()
    private static let plain = JSONEncoder()

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Writes `record` into the table the REPL reads for its entity (a deleted one removed);
    /// returns whether a row changed. Entities the REPL reads no table of, and records not whole
    /// yet (an edit whose insert has not arrived), stay in the replica only. `first`: the record
    /// was not in the replica before (a loss is counted once, on its day in `calendar`).
    static func show(_ db: Database, _ record: SyncRecord, stamper: Stamper, calendar: Calendar, first: Bool) throws -> Bool {
        switch record.entity {
        case .note:
            if record.isDeleted { return try delete(db, "notes", record.id) }
            guard var note = try decode(Note.self, record) else { return false }
            note.number = try number(db, "notes", "note", record.id, stamper)
            try db.cachedStatement(sql: """
                    INSERT INTO notes (id, number, agent, text, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET agent = excluded.agent, text = excluded.text,
                        updated_at = excluded.updated_at, hlc = excluded.hlc
                    """).execute(arguments: [
                    note.id.uuidString, note.number, note.agent, note.text, note.createdAt.unixSeconds, note.updatedAt.unixSeconds,
                    latest(record),
                ])
        case .agenda:
            if record.isDeleted { return try delete(db, "agenda_events", record.id) }
            guard var e = try decode(AgendaEvent.self, record) else { return false }
            e.number = try number(db, "agenda_events", "agenda", record.id, stamper)
            try db.cachedStatement(sql: """
                    INSERT INTO agenda_events (id, number, group_name, agent, name, phone, starts_at, ends_at, all_day,
                        contact_id, observation, done_at, created_by, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET group_name = excluded.group_name, agent = excluded.agent,
                        name = excluded.name, phone = excluded.phone, starts_at = excluded.starts_at,
                        ends_at = excluded.ends_at, all_day = excluded.all_day, contact_id = excluded.contact_id,
                        observation = excluded.observation, done_at = excluded.done_at, hlc = excluded.hlc
                    """).execute(arguments: [
                    e.id.uuidString, e.number, e.group, e.agent, e.name, e.phone, e.startsAt.unixSeconds, e.endsAt.unixSeconds,
                    e.allDay, e.contactID?.uuidString, e.observation, e.doneAt?.unixSeconds, e.createdBy, latest(record),
                ])
        case .contact:
            if record.isDeleted { return try delete(db, "contacts", record.id) }
            guard var contact = try decode(Contact.self, record) else { return false }
            contact.number = try number(db, "contacts", "contact", record.id, stamper)
            try ContactRepository.show(contact, hlc: latest(record), db, stamper: stamper)
        case .chat:
            guard let message = try decode(ChatMessage.self, record) else { return false }
            try db.cachedStatement(sql: """
                    INSERT INTO chat_messages (id, from_agent, to_agents, body, sent_at, delivered, hlc)
                    VALUES (?, ?, ?, ?, ?, 1, ?)
                    ON CONFLICT (id) DO UPDATE SET delivered = 1
                    """).execute(arguments: [
                    message.id.uuidString, message.from, message.to.joined(separator: ","), message.body,
                    message.sentAt.unixSeconds, latest(record),
                ])
        case .attendance:
            return try showAttendance(db, record, stamper: stamper)
        case .qualification:
            guard let q = try decode(Qualification.self, record) else { return false }
            return try AttendanceRepository.show(q, db, hlc: latest(record))
        case .loss:
            return try first && showLoss(db, record, calendar: calendar)
        case .pause, .preference:
            return false
        }
        return db.changesCount > 0
    }

    /// An attendance pulled that this store does not have (the switch host's record of a call
    /// whose workstation crashed or was offline, or the agent's from another workstation): written
    /// with the next number. One already here is
    /// the agent's own, kept as written (a value that differs is in the conflicts as a mismatch).
    private static func showAttendance(_ db: Database, _ record: SyncRecord, stamper: Stamper) throws -> Bool {
        guard !record.isDeleted,
            try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM attendances WHERE id = ?"), arguments: [record.id]) == nil
        else { return false }
        // The host records the switch's times, not what only the agent's workstation knew.
        var fields = record.fields
        let counted = fields["talkSeconds"] != nil
        for (field, none) in [("talkSeconds", SyncValue.integer(0)), ("waitSeconds", .integer(0)), ("holdSeconds", .integer(0)), ("recordings", .list([]))]
        where fields[field] == nil {
            fields[field] = none
        }
        guard var a = try decode(Attendance.self, record.id, fields), let end = a.endedAt else { return false }
        // The call already recorded here under another id (by a version that did not derive it
        // from the call's): kept as it is, not written twice.
        if let call = a.callID {
            let started = a.startedAt ?? end
            let known = try Int.fetchOne(
                db.cachedStatement(sql: """
                    SELECT 1 FROM attendances WHERE agent = ? AND started_at BETWEEN ? AND ? AND call_id = ?
                    """), arguments: [a.agent, started.unixSeconds - 86_400, end.unixSeconds + 86_400, call.uuidString])
            if known != nil { return false }
        }
        if !counted {
            (a.talkSeconds, a.waitSeconds) = Attendance.seconds(
                queuedAt: a.queuedAt, ringingAt: a.ringingAt, answeredAt: a.answeredAt, endedAt: end)
        }
        // Its qualifications come after it: the server applies an attendance (the host's at the
        // call's end, or the agent's, queued before its qualification) before them, and a pull
        // reads in that order.
        _ = try AttendanceRepository.write(a, db, stamper: stamper, queueForSync: false)
        return true
    }

    /// A loss the switch's host recorded, counted into its day (in the store's time zone).
    private static func showLoss(_ db: Database, _ record: SyncRecord, calendar: Calendar) throws -> Bool {
        guard case .text(let service)? = record.fields["service"], case .text(let phone)? = record.fields["phone"],
            case .text(let place)? = record.fields["place"], let at = record.fields["at"].flatMap(date)
        else { return false }
        var group = ""
        if case .text(let g)? = record.fields["group"] { group = g }
        let contact = try ContactRepository.contact(phone: phone, db)
        _ = try LossRepository.count(
            db, hlc: latest(record), service: service, phone: phone, contactName: contact?.name, group: group, day: calendar.dayKey(at),
            at: at, place: place == "queue" ? .queue : .agent)
        return true
    }

    /// A time field (seconds since 1970) as a date.
    private static func date(_ value: SyncValue) -> Date? {
        switch value {
        case .integer(let i): Date(timeIntervalSince1970: TimeInterval(i))
        case .real(let d): Date(timeIntervalSince1970: d)
        default: nil
        }
    }

    /// The latest stamp of a record's fields: what its row's `hlc` shows.
    static func latest(_ record: SyncRecord) -> String {
        (record.stamps.values.max() ?? record.deleted ?? HLCStamp(millis: 0, counter: 0, node: "")).description
    }

    /// The record's fields as `T`, with a number to be replaced; nil when they are not whole.
    static func decode<T: Decodable>(_ type: T.Type, _ record: SyncRecord) throws -> T? {
        try decode(type, record.id, record.fields)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ id: String, _ fields: [String: SyncValue]) throws -> T? {
        var fields = fields
        fields["id"] = .text(id)
        fields["number"] = .integer(0)
        return try? dates.decode(T.self, from: plain.encode(fields))
    }

    /// The record's short number here: the one it has, or the next of its sequence.
    static func number(_ db: Database, _ table: String, _ sequence: String, _ id: String, _ stamper: Stamper) throws -> Int {
        if let number = try Int.fetchOne(try db.cachedStatement(sql: "SELECT number FROM \(table) WHERE id = ?"), arguments: [id]) {
            return number
        }
        return try stamper.next(sequence, db)
    }

    static func delete(_ db: Database, _ table: String, _ id: String) throws -> Bool {
        if table == "contacts" { try db.execute(sql: ContactRepository.unindexSQL, arguments: [id]) }
        try db.execute(sql: "DELETE FROM \(table) WHERE id = ?", arguments: [id])
        return db.changesCount > 0
    }
}
