-- The rows of `source` (the name of a view, table or CTE of findings with a finding_key column) with each
-- finding's review state from stg_finding_review_state: status (待核实, the first of loaders.keys.STATUSES,
-- when never reviewed), who set it and when, how many explanations it has, and the latest one with who
-- wrote it and when. Every list of findings with their statuses reads them through this macro, so a finding
-- reads the same everywhere. The view is looked up when a query calls the macro, so it may be created later.
create or replace macro with_review_state(source) as table
    select
        f.*,
        coalesce(s.status, '待核实') as status,
        s.status_by,
        s.status_at,
        coalesce(s.note_count, 0) as note_count,
        s.last_note,
        s.last_note_by,
        s.last_note_at
    from query_table(source) as f
    left join stg_finding_review_state as s on f.finding_key = s.finding_key;
