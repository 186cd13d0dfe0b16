-- Atende workstation store, version 3: the full-text indexes keyed by the record's number.
--
-- Each full-text row carries its contact's or attendance's number as its rowid (numbers are
-- unique and never change, unlike the implicit rowid of a table keyed by text), so one row is
-- found, updated or removed through the rowid instead of a scan of the whole index, and a hit
-- joins its record through the number's unique index. Prefix indexes answer the short prefixes
-- people type (names, initials) without merging every term that starts with them.

CREATE VIRTUAL TABLE contacts_search USING fts5(
    name, company, notes, phones, initials,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
INSERT INTO contacts_search (rowid, name, company, notes, phones, initials)
    SELECT c.number, f.name, f.company, f.notes, f.phones, f.initials
    FROM contacts_fts f JOIN contacts c ON c.id = f.contact_id;
DROP TABLE contacts_fts;
ALTER TABLE contacts_search RENAME TO contacts_fts;

CREATE VIRTUAL TABLE attendances_search USING fts5(
    phones, contact, qualification, comments,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4'
);
INSERT INTO attendances_search (rowid, phones, contact, qualification, comments)
    SELECT a.number, f.phones, f.contact, f.qualification, f.comments
    FROM attendances_fts f JOIN attendances a ON a.id = f.attendance_id;
DROP TABLE attendances_fts;
ALTER TABLE attendances_search RENAME TO attendances_fts;
