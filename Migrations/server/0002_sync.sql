-- Sync (SV-5): the records workstations push, as the server holds them, and the changes pulls read.

-- Every operation a workstation pushed, once, with the server's final word on it: a push is
-- idempotent by operation id. A refused operation is kept whole with its reason.
CREATE TABLE sync_operations (
    op_id       TEXT PRIMARY KEY NOT NULL,
    workstation TEXT NOT NULL,
    agent       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    operation   TEXT,
    received_at TEXT NOT NULL
) WITHOUT ROWID;

-- Each record as the server holds it (the merged record as JSON) and its owner.
CREATE TABLE sync_records (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    owner     TEXT,
    record    TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- The operations applied, in the order they were: what a pull reads after its cursor.
CREATE TABLE sync_changes (
    sequence  INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id     TEXT NOT NULL,
    operation TEXT NOT NULL,
    origin    TEXT NOT NULL
);

-- Who may see each change: agent:NICK, group:NAME or all.
CREATE TABLE sync_change_audiences (
    audience TEXT NOT NULL,
    sequence INTEGER NOT NULL REFERENCES sync_changes (sequence),
    PRIMARY KEY (audience, sequence)
) WITHOUT ROWID;

-- Every value that lost to another (SY-2), with where it came from.
CREATE TABLE sync_conflicts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    entity           TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    field            TEXT NOT NULL,
    lost             TEXT,
    lost_hlc         TEXT NOT NULL,
    lost_workstation TEXT,
    lost_agent       TEXT,
    reason           TEXT NOT NULL,
    recorded_at      TEXT NOT NULL
);
CREATE INDEX sync_conflicts_record ON sync_conflicts (entity, entity_id);
