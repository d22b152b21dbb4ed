-- The record of review carried from one finding key to another, append-only: a finding's key is built from its
-- report's agency and year (sql/checks/findings.sql), so when a report is filed under another unit or year (renamed,
-- identified, or its name confirmed as another name of a roster unit) its findings get new keys. The explanations,
-- status changes and correction links of the old key are then copied to the new key (loaders/rekey.py), one row
-- here per copied record: record 'note' (finding_notes), 'status' (finding_status_events) or 'link'
-- (correction_findings, from_id and to_id its correction_id), from_id the row copied (null for the thread entry that
-- says the record moved) and to_id the new row. move_id groups the rows of one key's move.
create table if not exists finding_moves (
    move_id integer not null,
    old_key varchar not null,
    new_key varchar not null,
    record varchar not null,  -- note | status | link
    from_id integer,
    to_id integer not null,
    report_id varchar not null,  -- the report whose key changed
    reason varchar not null,  -- what changed the key: 更正单位或年度 | 识别报告 | 确认名册单位
    moved_by varchar not null,
    moved_at timestamp not null
);
