-- The parser's own findings (PARSE: a run of digits it could not split for certain, a given agency or year
-- that differs from the report's own reading …) about the current reports of the selection, for the
-- reviewer's annex of the briefing: they say how a report was read, not that it breaks a rule, so they stay
-- out of the briefing's 发现的问题. One row each, errors first, then by unit and year.
with selected as (
    select agency, year, severity, message, finding_key
    from fct_findings
    where
        agency is not null
        and year is not null
        and rule = 'PARSE'
        and in_selection(
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
order by severity_order, agency, year, message
