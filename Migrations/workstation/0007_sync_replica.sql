-- Sync (SV-5, SY-2): what this workstation holds of each synced record, field by field, as the
-- changes pulled from the server made it; the values that lost to others; and, per queued
-- operation, what its writer had seen.

-- Each record as merged from the server's changes (a SyncRecord as JSON: each field's value,
-- stamp, writer and base, and the record's deletion). The tables the REPL reads show this merged
-- with the operations still queued here, so a pull never hides a pending local change.
CREATE TABLE sync_replica (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- Every value that lost to another, with where it came from (`sync conflicts`), and when it was
-- put back (`sync conflicts restore N`). It replaces the first schema's table of that name, which
-- nothing ever wrote.
DROP TABLE sync_conflicts;
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
    recorded_at      INTEGER NOT NULL,
    restored_at      INTEGER,
    UNIQUE (entity, entity_id, field, lost_hlc)
);

-- What the writer of a queued operation had seen of each field it changes (its base stamps, as
-- JSON): a change over a value it had seen is an edit, over one it had not, a conflict.
ALTER TABLE outbox ADD COLUMN bases TEXT;

-- The operations still queued for one record, for showing a pulled change under them.
CREATE INDEX outbox_record ON outbox (entity, entity_id);
