-- The briefing's list of findings: every finding of the rule checks R1–R9 against the current reports of the
-- selection, one row each, errors first, for the 问题 sheet, slide and annex. The parser's own findings
-- (PARSE) are not problems of the reports: briefing_parse_notes lists them for the reviewer.
-- fct_findings holds exactly what the 报告详情 page lists per report (report_findings), so the briefing
-- and the page cannot disagree. finding_key is the finding's identity that its review status and
-- explanations (finding_reviews) are kept under; metrics lists the keys of the figures it cites, by which
-- the briefing footnotes the tables and charts that show those figures. A report without an agency or a
-- year belongs to no unit and year of a selection, so its findings are not here.
with selected as (
    select
        * exclude (cells, region, agency_level, agency_type),
        list_sort(list_distinct(json_extract_string(cells, '$[*].metric'))) as metrics
    from fct_findings
    where
        agency is not null
        and year is not null
        and rule <> 'PARSE'
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
order by severity_order, agency, year, rule, message
