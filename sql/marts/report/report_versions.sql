-- Every stored version of the report's agency and year, newest first: a corrected text gets the
-- next version and the older ones stay, so a reviewer can open what was published before.
with chosen as (
    select agency, year
    from reports
    where report_id = $report_id
),

final as (
    select
        r.report_id,
        r.version,
        r.source,
        r.source_format,
        r.ingested_at,
        r.version = max(r.version) over () as is_current,
        r.report_id = $report_id as is_shown
    from reports as r
    -- a report without an agency or a year is a version of nothing but itself
    inner join chosen as c on r.report_id = $report_id or (r.agency = c.agency and r.year = c.year)
)

select * from final
order by version desc
