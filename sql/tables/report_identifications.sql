-- Agencies and years given to stored reports that did not state them (python -m loaders identify, or the
-- 导入 page), one row per identification, append-only: who gave which agency and year to which report and
-- when, with what the report held before (null where it stated nothing) and the version it became.
create table if not exists report_identifications (
    report_id varchar not null,
    source varchar,
    previous_agency varchar,
    previous_year integer,
    agency varchar not null,
    year integer not null,
    version integer,  -- null when the unit and year already held the same report and this copy was dropped
    identified_by varchar not null,
    identified_at timestamp not null
);
