-- Canonical figures of current reports, with the report's agency, year and template beside each
-- figure and the metric's kind, so that checks need no further joins to find their context. Figures
-- come with reviewers' corrections applied (stg_figures_corrected), so the checks judge corrected values.
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
        coalesce(m.kind, 'count') as metric_kind,  -- metrics outside the dictionary are read as counts
        m.label as metric_label
    from stg_figures_corrected as f
    inner join current_reports as r on f.report_id = r.report_id
    left join metric_defs as m on f.metric = m.key
)

select * from final
