-- The review thread of one finding in the order it was written: status changes (from which status
-- to which) and explanations, each with who and when. Rows written together (an explanation with a
-- status change) share a time; the explanation comes first.
with status_changes as (
    select
        'status' as kind,
        event_id as id,
        changed_at as happened_at,
        changed_by as by_name,
        status,
        previous_status,
        null::varchar as note,
        report_id
    from finding_status_events
    where finding_key = $finding_key
),

notes as (
    select
        'note' as kind,
        note_id as id,
        written_at as happened_at,
        written_by as by_name,
        null::varchar as status,
        null::varchar as previous_status,
        note,
        report_id
    from finding_notes
    where finding_key = $finding_key
),

final as (
    select * from status_changes
    union all
    select * from notes
)

select * from final
order by happened_at, kind, id
