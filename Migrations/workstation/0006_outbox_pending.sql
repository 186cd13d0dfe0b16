-- The number of operations waiting in the outbox, kept with it: each insert and delete of an
-- entry moves it in the same transaction, so a status line reads one row instead of counting an
-- outbox that grows with every change until a server acknowledges it (COUNT(*) over 2,000,000
-- entries took tens of milliseconds, before every prompt).
CREATE TABLE outbox_pending (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL
);

INSERT INTO outbox_pending (id, count) VALUES (1, (SELECT COUNT(*) FROM outbox));

CREATE TRIGGER outbox_pending_insert AFTER INSERT ON outbox BEGIN
    UPDATE outbox_pending SET count = count + 1 WHERE id = 1;
END;

CREATE TRIGGER outbox_pending_delete AFTER DELETE ON outbox BEGIN
    UPDATE outbox_pending SET count = count - 1 WHERE id = 1;
END;
