-- The 办理结果 page: per report, 办理总计 and the six outcome categories of the 总计 column, each the sum
-- of its stated rows (a prose report's category total sits in outcome.<category>.unspecified and is summed
-- the same way). A category none of whose rows the report states stays null, never 0; 办理总计 is the
-- printed （七）总计, not the sum of the categories, so the rates use what the report itself says. Every
-- report that prints an outcome row is listed, from fct_reports, which holds these sums per report and every
-- rate (defined there once: *_rate, with disclosure_num = 予以公开 + 部分公开 and closure_den = 本年新收 +
-- 上年结转, the parts that are not a column of their own).
with selected as (
    select *
    from fct_reports
    where
        outcome_rows > 0
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
        granted,
        partial,
        denied,
        unavailable,
        not_processed,
        other,
        handled,
        disclosure_num,
        closure_den,
        disclosure_rate,
        granted_rate,
        partial_rate,
        denied_rate,
        unavailable_rate,
        not_processed_rate,
        other_rate,
        closure_rate
    from selected
)

select * from final
order by agency, year
