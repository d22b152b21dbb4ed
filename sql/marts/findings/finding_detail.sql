-- One finding by its key, whether or not it still occurs: a current finding comes from fct_findings
-- (is_current); one that no longer occurs (its figure was corrected, a new version fixed it) but has
-- review history is described by its latest status event or note (stg_finding_last_record), which
-- record what it said then. The sidebar selection does not apply: the page asked for this finding by name.
with current_finding as (
    select
        finding_key, report_id, agency, year, rule, severity, message,
        true as is_current,
        first_cell_line(cells) as first_line
    from fct_findings
    where finding_key = $finding_key
),

last_recorded as (
    select
        finding_key, report_id, agency, year, rule, null::varchar, message,
        false,
        null::integer
    from stg_finding_last_record
    where finding_key = $finding_key and not exists (select 1 from current_finding)
),

chosen as (
    select * from current_finding
    union all
    select * from last_recorded
),

final as (
    select * exclude (last_note, last_note_by, last_note_at)
    from with_review_state('chosen')
)

select * from final
