-- The seven applicant columns of section 三 in printed order, refreshed from the code on every
-- ingest, so that messages can name a column the way the report prints it.
create table if not exists applicant_defs (
    key varchar primary key,
    label varchar not null,
    position integer not null
);
