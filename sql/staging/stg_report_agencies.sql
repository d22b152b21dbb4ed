-- One row per current report with its agency's attributes (from stg_agencies) and report_order, a number that
-- sorts as (agency, year) does, as the facts fct_reports and fct_values both carry them: pages list reports and
-- figures in report_order, and sorting a hundred thousand rows by one integer is several times faster than by the
-- agency's name. It is the agency's place among agencies times 10000 plus the year (a year has four digits), so a
-- unit's report of another year leaves every other report's number as it was (a write renumbers only the facts
-- of reports whose number moved: those of the agencies after a new one).
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
        dense_rank() over (order by r.agency) * 10000 + r.year as report_order
    from stg_reports_current as r
    inner join stg_agencies as a on r.agency = a.agency
)

select * from final
