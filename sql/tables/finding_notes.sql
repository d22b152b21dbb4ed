-- Written explanations (情况说明) of findings, one row per note, append-only like
-- finding_status_events and kept across ingests the same way. The finding's identity at the time
-- (report_id, agency, year, rule, message) is stored beside the note so the thread still reads
-- after the finding no longer occurs.
create table if not exists finding_notes (
    note_id integer primary key,
    finding_key varchar not null,
    note varchar not null,
    written_by varchar not null,
    written_at timestamp not null,
    report_id varchar,
    agency varchar,
    year integer,
    rule varchar,
    message varchar
);
