-- Atende workstation store, version 4: which switch call an attendance was, and consult legs.

-- The switch's id of the call (unique across switches and restarts).
ALTER TABLE attendances ADD COLUMN call_id TEXT;
-- A consult leg: the switch's id of the customer's call it was placed for (held meanwhile).
-- Consult legs and unanswered dials are kept, but are not customer attendances in the totals.
ALTER TABLE attendances ADD COLUMN consult_of TEXT;
