-- Which findings a correction or an undo of figure_corrections was made from or written into, append-only:
-- one row per (correction_id, finding_key). note_id is the entry it wrote into that finding's thread
-- (finding_notes); status_event_id the status change it made (finding_status_events), null when it changed
-- none. A correction made from a finding sets the finding to 已更正; an undo finds the findings of the
-- correction it cancels here, writes its own entry into their threads and puts back the status the correction
-- replaced, so a thread never keeps a correction that is no longer in force without saying so.
create table if not exists correction_findings (
    correction_id integer not null,  -- a correction or an undo (figure_corrections.correction_id)
    finding_key varchar not null,
    note_id integer not null,
    status_event_id integer
);
