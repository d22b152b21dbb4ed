-- The 办理结果 page: 本年新收 requests of each report by applicant column (自然人, 商业企业, 科研机构,
-- 社会公益组织, 法律服务机构, 其他), for the applicant mix. Only stated cells: a prose report that gives
-- only a total has no mix, and an unstated column is absent rather than 0.
with applicant_figures as (
    select
        report_id,
        agency,
        year,
        template,
        applicant,
        value,
        report_order
    from fct_values
    where
        metric = 'requests.new'
        and applicant not in ('', 'total')
        and value is not null
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        f.report_id,
        f.agency,
        f.year,
        f.template,
        f.applicant,
        d.label as applicant_label,
        d.position,
        f.value as requests,
        f.report_order
    from applicant_figures as f
    inner join applicant_defs as d on f.applicant = d.key
)

select * exclude (report_order) from final
order by report_order, position  -- report_order is the (agency, year) order
