-- Canonical figures: one per metric and applicant column of a report. value is null when the
-- report prints the cell but states no number; raw always keeps what was printed.
create table if not exists figures (
    report_id varchar not null,
    metric varchar not null,
    applicant varchar,  -- section 三 column key; null outside section 三
    value double,
    raw varchar,
    line integer,
    section varchar,
    row_label varchar,
    col_label varchar,
    kind varchar,  -- table | prose
    qualifier varchar,  -- e.g. approx for "9800余条"
    sentence varchar,
    percent double,  -- a rate printed beside a prose figure
    location varchar  -- where the line sits in the original file: page, table and row, sheet and cell
);
