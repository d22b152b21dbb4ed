-- One row per stored version of a report. A new text for the same agency and year gets the next
-- version; older versions stay so that earlier figures remain queryable.
create table if not exists reports (
    report_id varchar primary key,  -- derived from content_hash, so the same text always gets the same id
    agency varchar,  -- never null once stored: ingest refuses such a report; parse --json checks it unstored
    year integer,
    template varchar,
    region varchar,
    parent varchar,
    published_on date,
    agency_source varchar,  -- where agency and year were read: title, text, period, signature, filename,
    year_source varchar,  -- workbook, or given by the user (loaders.meta.SOURCES)
    source varchar,  -- file name as ingested
    source_path varchar,
    source_format varchar,
    encoding varchar,
    content_hash varchar not null unique,
    version integer not null,
    ingested_at timestamp not null,
    sections varchar[],  -- section numerals found in the text (一 … 六)
    text varchar  -- the normalised text that figure line numbers refer to
);

-- Databases built before these columns existed get them (empty) on the next ingest or upgrade.
alter table reports add column if not exists agency_source varchar;
alter table reports add column if not exists year_source varchar;
