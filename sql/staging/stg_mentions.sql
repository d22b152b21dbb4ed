-- Prose mentions of current reports with their agency, year and metric label, for the checks that
-- hold the prose against the tables (R5) and against another agency's report (R7).
with current_reports as (
    select report_id, agency, year, template
    from stg_reports_current
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
