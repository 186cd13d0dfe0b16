-- Atende workstation store, version 2: what the call engine records besides attendances.

-- What the PABX dialled for an outbound call (CC-15).
ALTER TABLE attendances ADD COLUMN dial_string TEXT;

-- Pauses of the agent (CC-11): reason, productive code, start and end.
CREATE TABLE pause_log (
    id         TEXT PRIMARY KEY NOT NULL,
    agent      TEXT NOT NULL COLLATE NOCASE,
    reason     TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('eventual', 'productive')),
    code       TEXT,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    hlc        TEXT NOT NULL,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX pause_log_agent_started ON pause_log(agent, started_at);
