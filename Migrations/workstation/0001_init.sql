-- Atende workstation store, version 1.
-- Times are Unix seconds (UTC) unless named *_day (local calendar day, yyyy-mm-dd).
-- Ids are client-generated UUIDs (text); `number` columns are the short numbers people type.
-- `hlc` columns hold hybrid-logical-clock stamps that order edits for sync.

CREATE TABLE workstation_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE hlc_state (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last TEXT NOT NULL
);

CREATE TABLE sequences (
    name  TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Cached server catalogues (standalone: seeded from Config/).
CREATE TABLE catalog_groups (
    name  TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    title TEXT NOT NULL
);

CREATE TABLE catalog_services (
    number     TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    group_name TEXT NOT NULL COLLATE NOCASE
);

CREATE TABLE catalog_pause_reasons (
    name TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    kind TEXT NOT NULL CHECK (kind IN ('eventual', 'productive')),
    code TEXT
);

CREATE TABLE catalog_recording_reasons (
    code  TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    label TEXT NOT NULL
);

CREATE TABLE qualification_codes (
    code  TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    label TEXT NOT NULL,
    tags  TEXT NOT NULL DEFAULT ''
);

-- The extension directory: registered agents and their extensions.
CREATE TABLE extension_directory (
    nickname    TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    email       TEXT,
    extension   TEXT NOT NULL,
    groups      TEXT NOT NULL,
    sector      TEXT,
    role        TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    permissions TEXT NOT NULL DEFAULT ''
);

-- Locally cached login verifiers (LG-3, LG-5, LG-6). Never the password itself.
CREATE TABLE credentials (
    nickname        TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    algorithm       TEXT NOT NULL,
    iterations      INTEGER NOT NULL,
    salt            BLOB NOT NULL,
    hash            BLOB NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER,
    locked_until    INTEGER,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE contacts (
    id         TEXT PRIMARY KEY NOT NULL,
    number     INTEGER NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    company    TEXT,
    email      TEXT,
    notes      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    hlc        TEXT NOT NULL
);

CREATE TABLE contact_phones (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    e164       TEXT,
    PRIMARY KEY (contact_id, position)
);
CREATE INDEX contact_phones_e164 ON contact_phones(e164);

CREATE TABLE attendances (
    id              TEXT PRIMARY KEY NOT NULL,
    number          INTEGER NOT NULL UNIQUE,
    type            TEXT NOT NULL CHECK (type IN ('inbound', 'outbound', 'internal')),
    service         TEXT,
    phone           TEXT NOT NULL,
    contact_id      TEXT,
    contact_name    TEXT,
    agent           TEXT NOT NULL COLLATE NOCASE,
    group_name      TEXT NOT NULL COLLATE NOCASE,
    extension       TEXT NOT NULL,
    queued_at       INTEGER,
    ringing_at      INTEGER,
    answered_at     INTEGER,
    ended_at        INTEGER,
    started_at      INTEGER NOT NULL,
    talk_seconds    INTEGER NOT NULL DEFAULT 0,
    wait_seconds    INTEGER NOT NULL DEFAULT 0,
    hold_seconds    INTEGER NOT NULL DEFAULT 0,
    ended_by        TEXT CHECK (ended_by IN ('agent', 'customer', 'transfer', 'system')),
    transfer_target TEXT,
    qualification   TEXT,
    hlc             TEXT NOT NULL
);
CREATE INDEX attendances_agent_started ON attendances(agent, started_at);
CREATE INDEX attendances_started ON attendances(started_at);

CREATE TABLE attendance_recordings (
    id            TEXT PRIMARY KEY NOT NULL,
    attendance_id TEXT NOT NULL REFERENCES attendances(id) ON DELETE CASCADE,
    reason        TEXT NOT NULL,
    comment       TEXT,
    start_offset  INTEGER NOT NULL,
    stop_offset   INTEGER
);
CREATE INDEX attendance_recordings_attendance ON attendance_recordings(attendance_id);

-- Qualification history: requalifying appends.
CREATE TABLE qualifications (
    id            TEXT PRIMARY KEY NOT NULL,
    attendance_id TEXT NOT NULL REFERENCES attendances(id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    comment       TEXT,
    agent         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    hlc           TEXT NOT NULL
);
CREATE INDEX qualifications_attendance ON qualifications(attendance_id, created_at);

-- One row per day, service and phone.
CREATE TABLE losses (
    id                 TEXT PRIMARY KEY NOT NULL,
    service            TEXT NOT NULL,
    phone              TEXT NOT NULL,
    contact_name       TEXT,
    group_name         TEXT NOT NULL COLLATE NOCASE,
    loss_day           TEXT NOT NULL,
    abandoned_in_queue INTEGER NOT NULL DEFAULT 0,
    abandoned_at_agent INTEGER NOT NULL DEFAULT 0,
    last_at            INTEGER NOT NULL,
    callback           TEXT NOT NULL DEFAULT 'pending' CHECK (callback IN ('pending', 'done')),
    hlc                TEXT NOT NULL,
    UNIQUE (loss_day, service, phone)
);

CREATE TABLE agenda_events (
    id          TEXT PRIMARY KEY NOT NULL,
    number      INTEGER NOT NULL UNIQUE,
    group_name  TEXT NOT NULL COLLATE NOCASE,
    agent       TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    phone       TEXT,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    all_day     INTEGER NOT NULL DEFAULT 0,
    contact_id  TEXT,
    observation TEXT,
    done_at     INTEGER,
    created_by  TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX agenda_events_agent_start ON agenda_events(agent, starts_at);

CREATE TABLE notes (
    id         TEXT PRIMARY KEY NOT NULL,
    number     INTEGER NOT NULL UNIQUE,
    agent      TEXT NOT NULL COLLATE NOCASE,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    hlc        TEXT NOT NULL
);
CREATE INDEX notes_agent ON notes(agent, number);

CREATE TABLE chat_messages (
    id         TEXT PRIMARY KEY NOT NULL,
    from_agent TEXT NOT NULL COLLATE NOCASE,
    to_agents  TEXT NOT NULL,
    body       TEXT NOT NULL,
    sent_at    INTEGER NOT NULL,
    read_at    INTEGER,
    delivered  INTEGER NOT NULL DEFAULT 0,
    hlc        TEXT NOT NULL
);
CREATE INDEX chat_messages_sent ON chat_messages(sent_at);

-- Workstation configuration and preferences (PF-1).
CREATE TABLE preferences (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    hlc        TEXT NOT NULL
) WITHOUT ROWID;

-- Sync bookkeeping: operations waiting for the server, in the same transaction as their change.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id      TEXT NOT NULL UNIQUE,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    operation  TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    payload    TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sync_cursors (
    name   TEXT PRIMARY KEY NOT NULL,
    cursor TEXT NOT NULL,
    synced_at INTEGER
) WITHOUT ROWID;

CREATE TABLE sync_conflicts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    field        TEXT NOT NULL,
    kept_value   TEXT,
    lost_value   TEXT,
    kept_hlc     TEXT NOT NULL,
    lost_hlc     TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL
);

-- Deleted records, so a deletion wins over a concurrent edit.
CREATE TABLE tombstones (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    deleted_at INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- Search (ST-5). `phones` holds each phone's digit forms: international, national, local.
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    contact_id UNINDEXED, name, company, notes, phones, initials,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE attendances_fts USING fts5(
    attendance_id UNINDEXED, phones, contact, qualification, comments,
    tokenize = 'unicode61 remove_diacritics 2'
);
