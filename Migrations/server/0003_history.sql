-- What `atende admin export` reads (RP-6): every attendance in the order it started (answered,
-- else rang, else queued, else ended: the workstation's start), and each one's qualifications.
CREATE INDEX sync_attendances_started ON sync_records (
    COALESCE(
        json_extract(record, '$.fields.answeredAt'), json_extract(record, '$.fields.ringingAt'),
        json_extract(record, '$.fields.queuedAt'), json_extract(record, '$.fields.endedAt')),
    entity_id
) WHERE entity = 'attendance';

CREATE INDEX sync_qualifications_attendance ON sync_records (json_extract(record, '$.fields.attendanceID'))
    WHERE entity = 'qualification';
