-- When the data last changed: the latest time anything was written into the database's own tables (a report
-- stored, a review status set, an explanation written, a figure corrected, a report identified, a roster or
-- work plan imported). Read from the rows themselves, not from the file's time, so that an import which stored
-- nothing (a failed or repeated one) does not move the 数据更新于 date. NULL for a database with no data yet.
with written as (
    select max(ingested_at) as last_written from reports
    union all
    select max(changed_at) from finding_status_events
    union all
    select max(written_at) from finding_notes
    union all
    select max(corrected_at) from figure_corrections
    union all
    select max(identified_at) from report_identifications
    union all
    select max(imported_at) from roster_changes
    union all
    select max(imported_at) from workplan_tasks
),

final as (
    select max(last_written) as updated_at
    from written
)

select * from final
