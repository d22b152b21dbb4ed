-- One row per current report with its agency's attributes (from stg_agencies) and its place in (agency, year)
-- order, as the facts fct_reports and fct_values both carry them: pages list reports and figures in
-- report_order, and sorting a hundred thousand rows by one integer is several times faster than by the
-- agency's name.
with final as (
    select
        r.report_id,
        r.agency,
        r.year,
        r.template,
        a.region,
        a.agency_level,
        a.agency_type,
        a.peer_group,
        row_number() over (order by r.agency, r.year) as report_order
    from stg_reports_current as r
    inner join stg_agencies as a on r.agency = a.agency
)

select * from final
