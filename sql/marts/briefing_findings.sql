-- The briefing's list of findings: every finding (rule checks R1–R9 and the parser's own) against the
-- current reports of the selection, one row each, errors first, for the 问题 sheet, slide and section.
-- fct_findings holds exactly what the 报告详情 page lists per report (report_findings), so the briefing
-- and the page cannot disagree. finding_key is the finding's identity that its review status and
-- explanations (finding_reviews) are kept under.
with selected as (
    select finding_key, report_id, agency, year, rule, severity, message
    from fct_findings
    where
        in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        *,
        severity_rank(severity) as severity_order
    from selected
)

select * from final
order by severity_order, agency, year, rule, message
