-- Prose mentions of current reports with their agency, year and metric label, for the checks that
-- hold the prose against the tables (R5) and against another agency's report (R7).
with current_reports as (
    -- reports without an agency or a year too: the checks of a single report apply to them (agency and year
    -- stay null, so no check that pairs reports of a unit or a year can take them)
    select report_id, agency, year, template
    from stg_reports_current
    union all
    select report_id, agency, year, template
    from stg_reports_unidentified
),

final as (
    select
        f.*,
        r.agency,
        r.year,
        r.template,
        m.label as metric_label
    from mentions as f
    inner join current_reports as r on f.report_id = r.report_id
    left join metric_defs as m on f.metric = m.key
)

select * from final
