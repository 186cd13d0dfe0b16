-- The store's identity: an id made once, when this migration runs, kept in workstation_meta and
-- repeated in the clock's row. The clock's row is rewritten by almost every write, so every
-- write-ahead log holds it: a log copied from another database shows another id, and is refused
-- at open (ST-6).
ALTER TABLE hlc_state ADD COLUMN store_id TEXT;

INSERT INTO workstation_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));

UPDATE hlc_state SET store_id = (SELECT value FROM workstation_meta WHERE key = 'store_id');
