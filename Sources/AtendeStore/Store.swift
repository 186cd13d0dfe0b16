public import AtendeCore
public import Foundation
import AtendeMigrations
import GRDB
import Synchronization

/// How a ``Store`` waits, bounds its clock and keeps its days.
public struct StoreOptions: Sendable {
    /// How long a write waits for another program holding the database (SQLite's busy timeout):
    /// longer than a backup tool's read and a short checkpoint take.
    public var busyTimeout: TimeInterval
    /// How far ahead of the clock a stamp of the store may be (see ``Store/boundClock()``).
    public var maximumClockSkew: TimeInterval
    /// The time zone a new store keeps its days in; an existing store keeps the one it was made with.
    public var timeZone: TimeZone

    public init(busyTimeout: TimeInterval = 10, maximumClockSkew: TimeInterval = 300, timeZone: TimeZone = .current) {
        self.busyTimeout = busyTimeout
        self.maximumClockSkew = maximumClockSkew
        self.timeZone = timeZone
    }
}

/// The workstation's embedded SQLite store: one database file, its schema, and one repository
/// per aggregate. Nothing outside this module writes SQL.
///
/// For example:
/// ```swift
/// let store = try Store(path: dataDir.appendingPathComponent("atende.sqlite").path, clock: SystemClock())
/// try store.notes.add(agent: "fabio", text: "Call the bank")
/// ```
public final class Store: Sendable {
    /// The schema version this build writes: the number of bundled migration files.
    public static var schemaVersion: Int { MigrationFiles.sqlFiles(kind: "workstation").count }

    public let path: String
    /// The time zone of the store's days (losses, calls, agenda), fixed when the store was made, so
    /// a day means the same whatever `TZ` a later run has.
    public let timeZone: TimeZone
    let pool: DatabasePool
    let stamper: Stamper

    public let catalog: CatalogRepository
    public let credentials: CredentialRepository
    public let contacts: ContactRepository
    public let attendances: AttendanceRepository
    public let losses: LossRepository
    public let agenda: AgendaRepository
    public let notes: NoteRepository
    public let preferences: PreferenceRepository
    public let chat: ChatRepository
    public let pauses: PauseLogRepository
    public let search: SearchRepository
    public let outbox: OutboxRepository
    public let sync: SyncRepository
    /// Whether this open read the database file in full (`PRAGMA quick_check`): not when it was
    /// last closed whole (``close()``) and nothing changed it since (``CleanClose``).
    let checkedInFull: Bool
    /// How many ``bulkWriting(_:)`` bodies run now: the writer's large page cache is theirs.
    private let bulkWriters = Mutex(0)

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// A database written by a newer version of Atende is refused, never modified. So is one whose
    /// files do not belong together (a write-ahead log beside a missing or empty database, or
    /// another database's log) or that SQLite finds damaged: see ``StoreFiles``. `upgrading` is
    /// told (applied, total migrations) before an existing database is brought up to date.
    public init(
        path: String, clock: any AtendeClock, options: StoreOptions = StoreOptions(),
        upgrading: (Int, Int) -> Void = { _, _ in }
    ) throws(StoreError) {
        self.path = path
        // A newer database is recognised first, read-only, before any check opens it at all.
        if FileManager.default.fileExists(atPath: path) { try Self.refuseIfNewer(path: path) }
        let (fileHoldsIdentity, checkedInFull) = try StoreFiles.check(path: path, busyTimeout: options.busyTimeout)
        self.checkedInFull = checkedInFull
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        // Customer data: readable by its owner only. SQLite gives its -wal and -shm files the
        // database file's mode, so the file is made before SQLite opens it.
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(error, path: path)
        }
        // Every acknowledged commit is on disk before the call returns (ST-6): the WAL is synced at
        // each commit. GRDB opens a pool's writer with `synchronous = NORMAL` after running
        // `prepareDatabase`, so the level is set on the opened writer.
        // The writer's page cache is SQLite's default 2 MiB, but for bulk writes (`bulkWriting`).
        try StoreError.wrap(path: path) {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                db.add(transactionObserver: FileIdentityGuard(path: path, connection: db.sqliteConnection), extent: .databaseLifetime)
            }
        }
        try Self.migrate(pool, path: path, upgrading: upgrading)
        if !fileHoldsIdentity {
            // Best effort: another process's checkpoint running now does the same.
            _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
        self.pool = pool
        stamper = try StoreError.wrap(path: path) {
            try Stamper(pool: pool, clock: clock, maximumSkew: options.maximumClockSkew)
        }
        timeZone = try StoreError.wrap(path: path) { try Self.keepTimeZone(pool, default: options.timeZone) }
        catalog = CatalogRepository(pool: pool)
        credentials = CredentialRepository(pool: pool)
        contacts = ContactRepository(pool: pool, stamper: stamper)
        attendances = AttendanceRepository(pool: pool, stamper: stamper)
        losses = LossRepository(pool: pool, stamper: stamper)
        agenda = AgendaRepository(pool: pool, stamper: stamper)
        notes = NoteRepository(pool: pool, stamper: stamper)
        preferences = PreferenceRepository(pool: pool, stamper: stamper)
        chat = ChatRepository(pool: pool, stamper: stamper)
        pauses = PauseLogRepository(pool: pool, stamper: stamper)
        search = SearchRepository(pool: pool)
        outbox = OutboxRepository(pool: pool)
        sync = SyncRepository(pool: pool, stamper: stamper, timeZone: timeZone)
    }

    /// Takes the server's word that this machine's clock is `ahead` seconds ahead of the
    /// server's (SY-3): stamps come from the clock less that, from now on and in later runs, and
    /// the edits stamped beyond the bound are moved back by it (so they keep their place among a
    /// colleague's). Returns how many stamps moved.
    @discardableResult
    public func correctClock(ahead: TimeInterval) throws(StoreError) -> Int {
        try StoreError.wrap(path: path) { try pool.write { db in try stamper.correct(ahead: ahead, db) } }
    }

    /// How many seconds the stamps are taken behind this machine's clock (``correctClock(ahead:)``).
    public var clockCorrection: TimeInterval { stamper.clockCorrection }

    /// Calls `tell` whenever a change is queued for the server (the background sync's wakeup).
    public func onQueued(_ tell: @escaping @Sendable () -> Void) {
        stamper.onQueued(tell)
    }

    /// Closes the store's connections; the store is not used after. When the log could be
    /// emptied into the file (no other process reading), the file as it is then is recorded
    /// (``CleanClose``): the next start need not read it in full. Otherwise nothing is recorded,
    /// and the next start reads it all.
    ///
    /// For example, at the end of a session:
    /// ```swift
    /// try store.close()
    /// ```
    public func close() throws(StoreError) {
        // The log is emptied first: a pool's readers close last, and read-only connections
        // cannot checkpoint. Another process reading now keeps its frames: then no record. A
        // file deleted or replaced under the store is left as it is, its log beside it.
        let emptied = (try? pool.writeWithoutTransaction { db in
            guard !FileIdentityGuard.hasMoved(db.sqliteConnection) else { return false }
            try db.execute(sql: "PRAGMA busy_timeout = 100")
            return try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)").map { ($0[0] as Int) == 0 } ?? false
        }) ?? false
        do {
            try pool.close()
        } catch {
            unlink(CleanClose.recordPath(path))
            throw StoreError(error, path: path)
        }
        if emptied { CleanClose.record(path) } else { unlink(CleanClose.recordPath(path)) }
    }

    /// Runs `body` (an import, a generated history) with the writer's page cache at 64 MiB, then
    /// gives the memory back.
    ///
    /// A batch of an import dirties pages all over the UUID indexes of contacts, phones and
    /// outbox, and in SQLite's default 2 MiB it spilled them to the WAL mid-transaction and read
    /// them back (200,000 contacts in batches of 50,000: 20 s, against 12 s with 64 MiB). A whole
    /// session with that cache grew by the pages its writes touched (5 MiB per 1,000 calls on a
    /// 1,000,000-call store), so the cache is the bulk write's only. For example:
    /// ```swift
    /// try store.bulkWriting { for batch in batches { try store.contacts.addAll(batch) } }
    /// ```
    public func bulkWriting<T>(_ body: () throws -> T) throws -> T {
        try setBulkCache(entering: true)
        defer { try? setBulkCache(entering: false) }
        return try body()
    }

    /// The writer's `cache_size` (negative: KiB), as SQLite reports it.
    func writerCacheSize() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0 }
    }

    private func setBulkCache(entering: Bool) throws {
        let change = bulkWriters.withLock { count -> String? in
            count += entering ? 1 : -1
            if entering { return count == 1 ? "PRAGMA cache_size = -65536" : nil }
            return count == 0 ? "PRAGMA cache_size = -2000" : nil
        }
        guard let change else { return }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: change)
            if !entering { try db.execute(sql: "PRAGMA shrink_memory") }
        }
    }

    /// Repairs the store's clock if a run with its clock in the future left it more than the maximum
    /// skew ahead of now: the edits stamped beyond that bound are stamped again from now, in their
    /// order. Returns how far ahead the clock was and how many stamps changed; nil when it was not.
    ///
    /// Every write checks this too (another process may move the clock ahead meanwhile); this is
    /// for the start, to say so. For example:
    /// ```swift
    /// if let repair = try store.boundClock() { print("clock was at", repair.aheadUntil) }
    /// ```
    public func boundClock() throws(StoreError) -> (aheadUntil: Date, restamped: Int)? {
        try StoreError.wrap(path: path) {
            guard try pool.read({ db in try stamper.isAhead(db) }) else { return nil }
            return try pool.write { db in try stamper.repairIfAhead(db) }
        }
    }

    /// The store's time zone, recorded in `workstation_meta` the first time (`zone` then).
    private static func keepTimeZone(_ pool: DatabasePool, default zone: TimeZone) throws -> TimeZone {
        let kept = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'time_zone'")
        }
        if let kept, let zone = TimeZone(identifier: kept) { return zone }
        return try pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO workstation_meta (key, value) VALUES ('time_zone', ?)", arguments: [zone.identifier])
            return zone
        }
    }

    /// The identifiers of the migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try StoreError.wrap(path: path) {
            try pool.read { db in try Self.migrator().appliedIdentifiers(db) }.sorted()
        }
    }

    /// The writer's journal mode and `synchronous` level, as SQLite reports them (`wal`, 2 = FULL).
    public func durability() throws(StoreError) -> (journalMode: String, synchronous: Int) {
        try StoreError.wrap(path: path) {
            try pool.writeWithoutTransaction { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
            }
        }
    }

    /// SQLite's plan for `sql` (its `EXPLAIN QUERY PLAN` details, in order), parameters unbound.
    func queryPlan(_ sql: String) throws -> [String] {
        try pool.read { db in
            let statement = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
            statement.setUncheckedArguments([])  // every parameter NULL
            return try Row.fetchAll(statement).map { $0["detail"] }
        }
    }

    /// The number of operations waiting in the outbox for the server (kept with the outbox, not
    /// counted: see ``OutboxRepository/pendingCount()``).
    public func pendingOutboxCount() throws(StoreError) -> Int {
        try StoreError.wrap(path: path) { try outbox.pendingCount() }
    }

    /// This store's id (made once, when it was created): the workstation the server knows it as.
    public func storeID() throws(StoreError) -> String {
        try StoreError.wrap(path: path) {
            try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'store_id'") } ?? ""
        }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in MigrationFiles.sqlFiles(kind: "workstation") {
            let identifier = file.deletingPathExtension().lastPathComponent
            migrator.registerMigration(identifier) { db in
                let sql = try String(contentsOf: file, encoding: .utf8)
                try db.execute(sql: sql)
            }
        }
        return migrator
    }

    /// Refuses a database written by a newer Atende after reading it read-only, before anything
    /// opens it for writing: its files are left byte for byte as they were (opening for writing
    /// would set WAL mode and create `-wal` and `-shm`). Without a `-wal` beside it the file is read
    /// as immutable, so no `-wal` or `-shm` is created either. A file that cannot be read this way
    /// is left to the normal open to report.
    private static func refuseIfNewer(path: String) throws(StoreError) {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0,
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
        else { return }
        var config = Configuration()
        config.readonly = true
        let hasWAL = FileManager.default.fileExists(atPath: path + "-wal")
        let migrator = migrator()
        let found: (applied: Set<String>, superseded: Bool)
        do {
            let queue = try DatabaseQueue(path: "file:\(encoded)?\(hasWAL ? "mode=ro" : "immutable=1")", configuration: config)
            found = try queue.read { db in
                guard try db.tableExists("grdb_migrations") else { return ([], false) }
                return (try migrator.appliedIdentifiers(db), try migrator.hasBeenSuperseded(db))
            }
            try queue.close()
        } catch {
            return
        }
        guard found.superseded else { return }
        let known = Set(migrator.migrations)
        throw StoreError.tooNew(path: path, unknown: found.applied.filter { !known.contains($0) }.sorted())
    }

    private static func migrate(_ pool: DatabasePool, path: String, upgrading: (Int, Int) -> Void) throws(StoreError) {
        let migrator = migrator()
        try StoreError.wrap(path: path) {
            let (applied, superseded) = try pool.read { db in
                (try migrator.appliedIdentifiers(db), try migrator.hasBeenSuperseded(db))
            }
            if superseded {
                let known = Set(migrator.migrations)
                throw StoreError.tooNew(path: path, unknown: applied.filter { !known.contains($0) }.sorted())
            }
            if !applied.isEmpty && applied.count < migrator.migrations.count {
                upgrading(applied.count, migrator.migrations.count)
            }
            // Nothing is written when the schema is up to date: a start does not wait for the
            // write lock another program may hold (a backup, a checkpoint) just to say so.
            let version = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            guard applied.count < migrator.migrations.count || version != migrator.migrations.count else { return }
            try migrator.migrate(pool)
            try pool.write { db in
                try db.execute(sql: "PRAGMA user_version = \(migrator.migrations.count)")
            }
        }
    }
}
