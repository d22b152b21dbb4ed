-- Reviewers' corrections of parsed figures, as an append-only event log. A correction names one
-- figure of one stored report (report_id, metric, applicant) and the value it should have; a null
-- value means the cell should read as not stated. An undo is a row of its own whose undoes names
-- the correction it cancels. The figure shows the latest correction that is not undone
-- (stg_figures_corrected); the printed value stays in figures, untouched, and every row stays here.
create table if not exists figure_corrections (
    correction_id integer primary key,
    report_id varchar not null,
    metric varchar not null,
    applicant varchar,  -- section 三 column key; null outside section 三
    value double,  -- the corrected value; null for "not stated"; null on an undo row
    reason varchar,  -- why; required for a correction, optional for an undo
    corrected_by varchar not null,
    corrected_at timestamp not null,
    undoes integer  -- on an undo row: the correction_id it cancels
);
