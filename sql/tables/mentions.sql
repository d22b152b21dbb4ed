-- Every figure mentioned in the prose, duplicates included, so that prose can be checked against
-- the tables (R5) and against other agencies' reports (R7).
create table if not exists mentions (
    report_id varchar not null,
    metric varchar not null,
    applicant varchar,
    value double,
    raw varchar,
    line integer,
    section varchar,
    row_label varchar,
    col_label varchar,
    kind varchar,
    qualifier varchar,  -- e.g. government_level for "政府层面的申请16件"
    sentence varchar,
    percent double,
    location varchar
);
