-- The review status of findings as an append-only log: one row per change, never updated or deleted,
-- so who changed what when stays visible. The current status of a finding is its latest event
-- (stg_finding_review_state). Ingest never touches this table; findings are matched by finding_key,
-- which survives re-ingesting a report and, for the same problem, a new version of it. agency, year,
-- rule, message and report_id record what the finding said when the status was set, so the history
-- still reads after a finding no longer occurs (a figure was corrected, a new version fixed it).
create table if not exists finding_status_events (
    event_id integer primary key,
    finding_key varchar not null,
    status varchar not null,  -- one of loaders.keys.STATUSES
    previous_status varchar not null,  -- the status this change replaced (待核实 for the first change)
    changed_by varchar not null,  -- the reviewer's name as typed
    changed_at timestamp not null,
    report_id varchar,
    agency varchar,
    year integer,
    rule varchar,
    message varchar
);
