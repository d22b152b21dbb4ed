-- What each finding with review history said when it was last reviewed: one row per finding_key, from its
-- latest status event or explanation (each records the finding's report, agency, year, rule and message),
-- the later write winning. A finding that no longer occurs is known by this row.
with recorded as (
    select finding_key, report_id, agency, year, rule, message, changed_at as recorded_at, event_id as id
    from finding_status_events
    union all
    select finding_key, report_id, agency, year, rule, message, written_at, note_id
    from finding_notes
),

final as (
    select * exclude (id)
    from recorded
    qualify row_number() over (partition by finding_key order by recorded_at desc, id desc) = 1
)

select * from final
