public import AtendeCore
public import Foundation
import AtendeMigrations
public import AtendeSync
import GRDB

/// The server's records in one SQLite file (WAL, every commit synced), schema from
/// `Migrations/server/` with its own migrator. The only SQL of the server.
public final class ServerStore: ServerRecords {
    public let path: String
    private let pool: DatabasePool

    public init(path: String) throws(ServerStoreError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let migrator = Self.migrator()
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw ServerStoreError(path: path, reason: "written by a newer Atende server; not changed")
            }
            try migrator.migrate(pool)
        } catch let e as ServerStoreError {
            throw e
        } catch {
            throw ServerStoreError(path: path, reason: Self.reason(error))
        }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in MigrationFiles.sqlFiles(kind: "server") {
            migrator.registerMigration(file.deletingPathExtension().lastPathComponent) { db in
                try db.execute(sql: try String(contentsOf: file, encoding: .utf8))
            }
        }
        return migrator
    }

    // MARK: Registry

    public func registry() throws(ServerStoreError) -> (registry: Registry, version: Int)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT version, document FROM registry_versions ORDER BY version DESC LIMIT 1")
            else { return nil }
            let document: String = row["document"]
            return (try JSONDecoder().decode(Registry.self, from: Data(document.utf8)), row["version"])
        }
    }

    public func saveRegistry(_ registry: Registry, by actor: String, action: String, detail: String, at: Date) throws(ServerStoreError) -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try write { db in
            let document = String(decoding: try encoder.encode(registry), as: UTF8.self)
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM registry_versions") ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO registry_versions (version, document, changed_at, changed_by) VALUES (?, ?, ?, ?)",
                arguments: [version, document, Self.text(at), actor])
            try Self.insertAudit(db, AuditEntry(at: at, actor: actor, action: action, detail: detail))
            return version
        }
    }

    // MARK: Credentials

    public func credential(agent: String) throws(ServerStoreError) -> StoredCredential? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM credentials WHERE agent = ?", arguments: [agent]).map { row in
                StoredCredential(
                    agent: row["agent"], algorithm: row["algorithm"], iterations: row["iterations"], salt: row["salt"],
                    hash: row["hash"], failedAttempts: row["failed_attempts"],
                    lockedUntil: (row["locked_until"] as String?).flatMap(Self.date))
            }
        }
    }

    public func setCredential(_ c: StoredCredential, at: Date) throws(ServerStoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO credentials (agent, algorithm, iterations, salt, hash, failed_attempts, locked_until, changed_at)
                    VALUES (?, ?, ?, ?, ?, 0, NULL, ?)
                    ON CONFLICT (agent) DO UPDATE SET algorithm = excluded.algorithm, iterations = excluded.iterations,
                        salt = excluded.salt, hash = excluded.hash, failed_attempts = 0, locked_until = NULL,
                        changed_at = excluded.changed_at
                    """,
                arguments: [c.agent, c.algorithm, c.iterations, c.salt, c.hash, Self.text(at)])
        }
    }

    public func recordFailure(agent: String, lockUntil: Date?) throws(ServerStoreError) -> Int {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE credentials SET failed_attempts = failed_attempts + 1,
                        locked_until = COALESCE(?, locked_until) WHERE agent = ?
                    """,
                arguments: [lockUntil.map(Self.text), agent])
            return try Int.fetchOne(db, sql: "SELECT failed_attempts FROM credentials WHERE agent = ?", arguments: [agent]) ?? 0
        }
    }

    public func clearFailures(agent: String) throws(ServerStoreError) {
        try write { db in
            try db.execute(sql: "UPDATE credentials SET failed_attempts = 0, locked_until = NULL WHERE agent = ?", arguments: [agent])
        }
    }

    public func removeCredential(agent: String) throws(ServerStoreError) {
        try write { db in try db.execute(sql: "DELETE FROM credentials WHERE agent = ?", arguments: [agent]) }
    }

    // MARK: Sessions

    public func openSession(tokenHash: Data, _ s: StoredSession) throws(ServerStoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, agent, role, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [tokenHash, s.agent, s.role.rawValue, Self.text(s.issuedAt), Self.text(s.expiresAt)])
        }
    }

    public func session(tokenHash: Data) throws(ServerStoreError) -> StoredSession? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE token_hash = ?", arguments: [tokenHash]).flatMap { row in
                guard let role = Role(rawValue: row["role"]), let issued = Self.date(row["issued_at"]),
                    let expires = Self.date(row["expires_at"])
                else { return nil }
                return StoredSession(
                    agent: row["agent"], role: role, issuedAt: issued, expiresAt: expires,
                    revokedAt: (row["revoked_at"] as String?).flatMap(Self.date))
            }
        }
    }

    public func revokeSession(tokenHash: Data, at: Date) throws(ServerStoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                arguments: [Self.text(at), tokenHash])
        }
    }

    public func revokeSessions(agent: String, at: Date) throws(ServerStoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE agent = ? AND revoked_at IS NULL", arguments: [Self.text(at), agent])
        }
    }

    // MARK: The switch's log

    public func append(_ record: SwitchRecord, decide: SyncRule) throws(ServerStoreError) {
        guard !record.isEmpty || record.through != nil else { return }
        try write { db in
            if let through = record.through {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO server_meta (key, value) VALUES ('switch_sequence', ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value
                        WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)
                        """
                ).execute(arguments: [String(through)])
            }
            let log = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO call_events (sequence, at, call_id, queue, agent, "extension", event, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for e in record.log {
                try log.execute(arguments: [
                    Int64(e.sequence), Self.text(e.at), e.callID?.uuidString, e.queue, e.agent, e.extension, e.event, e.data,
                ])
            }
            let call = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO calls (call_id, type, service, queue, phone, agent, "extension", consult_of,
                        queued_at, ringing_at, answered_at, ended_at, end_reason, ended_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (c, reason, by) in record.finished {
                try call.execute(arguments: [
                    c.id.uuidString, c.type.rawValue, c.service, c.group, c.phone, c.agent, c.to ?? c.from,
                    c.consultOf?.uuidString, c.queuedAt.map(Self.text), c.ringingAt.map(Self.text),
                    c.answeredAt.map(Self.text), Self.text(c.endedAt ?? Date()), reason.rawValue, by,
                ])
            }
            let loss = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO losses (call_id, service, queue, phone, place, at, waited_s) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for l in record.losses {
                try loss.execute(arguments: [l.callID.uuidString, l.service, l.queue, l.phone, l.place, Self.text(l.at), l.waited])
            }
            if !record.sync.isEmpty {
                let now = Self.text(record.log.last?.at ?? Date())
                _ = try Self.apply(record.sync, db, workstation: SyncHost.origin.workstation, agent: SyncHost.origin.agent, now: now, decide: decide)
            }
        }
    }

    public func log(call: CallID) throws(ServerStoreError) -> [CallLogEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM call_events WHERE call_id = ? ORDER BY sequence", arguments: [call.uuidString])
                .map(Self.entry)
        }
    }

    public func logCount() throws(ServerStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_events") ?? 0 }
    }

    public func queueKPIs(since: Date, threshold: TimeInterval) throws(ServerStoreError) -> [QueueKPI] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT queue,
                        COUNT(*) AS offered,
                        SUM(answered_at IS NOT NULL) AS answered,
                        SUM(answered_at IS NOT NULL
                            AND (julianday(answered_at) - julianday(queued_at)) * 86400.0 <= ?) AS within,
                        SUM(end_reason IN ('abandoned-in-queue', 'abandoned-at-agent')) AS abandoned,
                        TOTAL(CASE WHEN answered_at IS NOT NULL
                            THEN (julianday(answered_at) - julianday(queued_at)) * 86400.0 END) AS wait,
                        TOTAL(CASE WHEN answered_at IS NOT NULL
                            THEN (julianday(ended_at) - julianday(answered_at)) * 86400.0 END) AS handle
                    FROM calls
                    WHERE queue IS NOT NULL AND queued_at IS NOT NULL AND consult_of IS NULL AND ended_at >= ?
                    GROUP BY queue ORDER BY queue
                    """,
                arguments: [threshold, Self.text(since)]
            ).map { row in
                QueueKPI(
                    queue: row["queue"], offered: row["offered"], answered: row["answered"] ?? 0, answeredWithin: row["within"] ?? 0,
                    abandoned: row["abandoned"] ?? 0, waitSeconds: row["wait"] ?? 0, handleSeconds: row["handle"] ?? 0)
            }
        }
    }

    public func lastSequence() throws(ServerStoreError) -> UInt64 {
        try read { db in
            let logged = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM call_events") ?? 0
            let numbered = try String.fetchOne(db, sql: "SELECT value FROM server_meta WHERE key = 'switch_sequence'").flatMap { Int64($0) } ?? 0
            return UInt64(max(logged, numbered))
        }
    }

    public func losses(queue: String?) throws(ServerStoreError) -> [RecordedLoss] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM losses WHERE ?1 IS NULL OR queue = ?1 COLLATE NOCASE ORDER BY at", arguments: [queue]
            ).compactMap { row in
                guard let id = UUID(uuidString: row["call_id"]), let at = Self.date(row["at"]) else { return nil }
                return RecordedLoss(
                    callID: id, service: row["service"], queue: row["queue"], phone: row["phone"], place: row["place"], at: at,
                    waited: row["waited_s"])
            }
        }
    }

    public func callCount() throws(ServerStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls") ?? 0 }
    }

    public func finishedCall(_ id: CallID) throws(ServerStoreError) -> (agent: String?, reason: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT agent, end_reason FROM calls WHERE call_id = ?", arguments: [id.uuidString]).map {
                ($0["agent"], $0["end_reason"])
            }
        }
    }

    // MARK: Audit

    public func audit(_ entry: AuditEntry) throws(ServerStoreError) {
        try write { db in try Self.insertAudit(db, entry) }
    }

    public func auditTrail(limit: Int) throws(ServerStoreError) -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditEntry(at: Self.date(row["at"]) ?? .distantPast, actor: row["actor"], action: row["action"], detail: row["detail"])
            }
        }
    }

    // MARK: Inside

    private static func insertAudit(_ db: Database, _ e: AuditEntry) throws {
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            arguments: [Self.text(e.at), e.actor, e.action, e.detail])
    }

    private static func entry(_ row: Row) -> CallLogEntry {
        CallLogEntry(
            sequence: UInt64(row["sequence"] as Int64), at: date(row["at"]) ?? .distantPast,
            callID: (row["call_id"] as String?).flatMap(UUID.init(uuidString:)), queue: row["queue"], agent: row["agent"],
            extension: row["extension"], event: row["event"], data: row["data"])
    }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func text(_ date: Date) -> String { date.formatted(style) }
    static func date(_ text: String) -> Date? { try? style.parse(text) }

    private static func reason(_ error: any Error) -> String {
        (error as? DatabaseError).map { $0.message ?? "\($0.resultCode)" } ?? "\(error)"
    }

    func read<T>(_ body: (Database) throws -> T) throws(ServerStoreError) -> T {
        do { return try pool.read(body) } catch { throw ServerStoreError(path: path, reason: Self.reason(error)) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(ServerStoreError) -> T {
        do { return try pool.write(body) } catch { throw ServerStoreError(path: path, reason: Self.reason(error)) }
    }
}
