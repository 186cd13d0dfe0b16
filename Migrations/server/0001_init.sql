-- The call-center server's records: its registry, who may log in, open sessions, what its switch
-- did (an append-only log, one row per event), and one row per finished call and per loss,
-- written once by the server. Times are ISO 8601 UTC text with milliseconds.

CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The registry as one versioned document (the shape of Config/registry.json): what workstations
-- cache at login. Each change is a new version; the audit table says who made it.
CREATE TABLE registry_versions (
    version    INTEGER PRIMARY KEY,
    document   TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
) STRICT;

CREATE TABLE credentials (
    agent           TEXT PRIMARY KEY COLLATE NOCASE,
    algorithm       TEXT NOT NULL,
    iterations      INTEGER NOT NULL,
    salt            BLOB NOT NULL,
    hash            BLOB NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    changed_at      TEXT NOT NULL
) STRICT;

-- A token is kept as its SHA-256 only: the database never holds one that can be presented.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    agent      TEXT NOT NULL COLLATE NOCASE,
    role       TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE INDEX sessions_by_agent ON sessions (agent);

-- The switch's log, queue_log-like: ENTERQUEUE, RINGING, RINGNOANSWER, CONNECT, HOLD, UNHOLD,
-- TRANSFER, CONFERENCE, CAPTURE, BARGE, COMPLETEAGENT, COMPLETECALLER, ABANDON, LOGIN, LOGOFF,
-- PAUSE, UNPAUSE. `sequence` is the switch's event number.
CREATE TABLE call_events (
    sequence    INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    call_id     TEXT,
    queue       TEXT,
    agent       TEXT,
    "extension" TEXT,
    event       TEXT NOT NULL,
    data        TEXT
) STRICT;
CREATE INDEX call_events_by_call ON call_events (call_id) WHERE call_id IS NOT NULL;

-- One row per finished call, as the switch saw it.
CREATE TABLE calls (
    call_id     TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    service     TEXT,
    queue       TEXT,
    phone       TEXT,
    agent       TEXT,
    "extension" TEXT,
    consult_of  TEXT,
    queued_at   TEXT,
    ringing_at  TEXT,
    answered_at TEXT,
    ended_at    TEXT NOT NULL,
    end_reason  TEXT NOT NULL,
    ended_by    TEXT
) STRICT;
CREATE INDEX calls_by_agent ON calls (agent, ended_at);

-- One row per caller who gave up (in queue, or ringing out at an agent).
CREATE TABLE losses (
    call_id  TEXT PRIMARY KEY,
    service  TEXT NOT NULL,
    queue    TEXT NOT NULL,
    phone    TEXT NOT NULL,
    place    TEXT NOT NULL,
    at       TEXT NOT NULL,
    waited_s REAL NOT NULL
) STRICT;
CREATE INDEX losses_by_queue ON losses (queue, at);

-- Every administrative change: who, when, what.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
) STRICT;
