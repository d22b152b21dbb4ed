-- The briefing's 发现的问题 in brief: the rule findings (R1–R9, as briefing_findings lists them one by one)
-- of the selection counted per unit and rule, with the years they occur in, how many are errors and how
-- many still await review (status 待核实 through with_review_state). Units with most errors first.
with selected as (
    select agency, year, rule, severity, status
    from with_review_state('fct_findings')
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
        agency,
        rule,
        string_agg(distinct year::varchar, '、' order by year::varchar) as years,
        count(*) as findings,
        count(*) filter (where severity = 'error') as errors,
        count(*) filter (where status = '待核实') as open_findings
    from selected
    group by agency, rule
)

select * from final
order by errors desc, findings desc, agency, rule
