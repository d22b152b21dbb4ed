-- The reviewers' corrections in force on the selection's current reports, for the briefing's footnotes: one row
-- per corrected figure, the correction the figure shows now (stg_figure_corrections.is_current), so an undone
-- or replaced correction is never footnoted and the footnote's value is the value the briefing exports. metric
-- and applicant name the figure (the briefing footnotes the tables that show that metric for that unit and
-- year); raw and original_value are what the report printed and what was read from it.
with selected as (
    select report_id, agency, year
    from fct_reports
    where in_selection(
        region, agency_level, agency_type, agency, year,
        $regions, $levels, $types, $agencies, $year_from, $year_to
    )
),

final as (
    select
        s.agency,
        s.year,
        c.correction_id,
        c.metric,
        c.applicant,
        coalesce(m.label, c.metric) as metric_label,
        a.label as applicant_label,
        f.raw,
        f.value as original_value,
        c.value,
        c.reason,
        c.corrected_by,
        c.corrected_at
    from stg_figure_corrections as c
    inner join selected as s on c.report_id = s.report_id
    left join figures as f
        on c.report_id = f.report_id
        and c.metric = f.metric
        and c.applicant is not distinct from f.applicant
    left join metric_defs as m on c.metric = m.key
    left join applicant_defs as a on c.applicant = a.key
    where c.is_current
)

select * from final
order by agency, year, correction_id
