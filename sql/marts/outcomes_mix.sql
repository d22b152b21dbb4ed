-- The 办理结果 page: per report, 办理总计 and the six outcome categories of the 总计 column, each the sum
-- of its stated rows (a prose report's category total sits in outcome.<category>.unspecified and is summed
-- the same way). A category none of whose rows the report states stays null, never 0; 办理总计 is the
-- printed （七）总计, not the sum of the categories, so the rates use what the report itself says.
with outcome_figures as (
    select
        report_id,
        agency,
        year,
        template,
        metric,
        split_part(metric, '.', 2) as category,
        value
    from fct_values
    where
        metric like 'outcome.%'
        and applicant = 'total'
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        report_id,
        agency,
        year,
        template,
        -- sum() of no stated value is null: an unstated category is not a zero
        sum(value) filter (where category = 'granted') as granted,
        sum(value) filter (where category = 'partial') as partial,
        sum(value) filter (where category = 'denied') as denied,
        sum(value) filter (where category = 'unavailable') as unavailable,
        sum(value) filter (where category = 'not_processed') as not_processed,
        sum(value) filter (where category = 'other') as other,
        any_value(value) filter (where metric = 'outcome.total') as handled
    from outcome_figures
    group by report_id, agency, year, template
)

select * from final
order by agency, year
