-- The findings of current reports of year $year with their review status (as finding_reviews gives it, 待核实
-- when never reviewed, but over the stored findings, fct_findings, so the checks are not evaluated again) and
-- the first source line of their evidence cells: what the rubric's finding indicators count and cite
-- (analytics/scoring.py).
with lines as (
    select
        finding_key,
        first_cell_line(cells) as line
    from fct_findings
    where year = $year
),

final as (
    select
        f.finding_key,
        f.report_id,
        f.agency,
        f.rule,
        f.severity,
        f.message,
        f.status,
        f.note_count,
        l.line
    from with_review_state('fct_findings') as f
    left join lines as l on f.finding_key = l.finding_key
    where f.year = $year
)

select * from final
order by agency, rule, line nulls last, finding_key
