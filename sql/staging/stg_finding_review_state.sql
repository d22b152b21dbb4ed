-- The review state of every finding that has any review history: its current status (the latest
-- status event, by event id, which follows the order of writes) and a summary of its explanation
-- thread. A finding without a row here has never been reviewed. The thread entry saying that a finding's record
-- moved with its report (finding_moves, from_id null) is shown in the thread but is not an explanation: it counts
-- neither in note_count nor as the latest explanation.
with latest_status as (
    select
        finding_key,
        status,
        changed_by as status_by,
        changed_at as status_at,
        report_id as status_report_id
    from finding_status_events
    qualify row_number() over (partition by finding_key order by event_id desc) = 1
),

note_summary as (
    select
        finding_key,
        count(*) as note_count,
        arg_max(note, note_id) as last_note,
        arg_max(written_by, note_id) as last_note_by,
        max(written_at) as last_note_at
    from finding_notes
    where note_id not in (select to_id from finding_moves where record = 'note' and from_id is null)
    group by finding_key
),

final as (
    select
        coalesce(s.finding_key, n.finding_key) as finding_key,
        s.status,
        s.status_by,
        s.status_at,
        s.status_report_id,
        coalesce(n.note_count, 0) as note_count,
        n.last_note,
        n.last_note_by,
        n.last_note_at
    from latest_status as s
    full outer join note_summary as n on s.finding_key = n.finding_key
)

select * from final
