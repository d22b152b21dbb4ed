-- Section 三 of every templated report, per applicant column: requests received (log-normal, many zeros at
-- township level), carried over from last year and carried forward to next year, and the number handled
-- (新收 + 上年结转 − 结转下年, so that R1 holds). What a report carries over is what the same agency's report for
-- the year before carried forward, except in a few reports where it differs: R6.
create or replace temp table syn_requests as
with reports as (
    select report_id, agency, year, is_current, agency_level, mu
    from syn_reports
    where template in ('2019', '2021')
),

sized as (
    select
        *,
        case
            when syn_u(report_id, 10) < case agency_level when 'township' then 0.45 when 'county' then 0.12 else 0.04 end
                then 0.0
            else exp(mu + syn_z(report_id, 11))
        end as size
    from reports
),

columns as (
    select
        s.report_id,
        s.agency,
        s.year,
        s.is_current,
        a.key as applicant,
        floor(s.size * a.share * exp(0.7 * syn_z(s.report_id || a.key, 12))) as new_requests
    from sized as s
    cross join syn_applicants as a
    where a.key <> 'total'
),

carried as (
    select
        *,
        floor(new_requests * 0.15 * syn_u(report_id || applicant, 13)) as carried_forward
    from columns
),

chained as (
    select
        *,
        case
            when is_current and lag(year) over w = year - 1 then lag(carried_forward) over w
            else floor(new_requests * 0.1 * syn_u(report_id || applicant, 14))
        end
        + case
            when applicant = 'natural_person' and syn_u(report_id, 15) < 0.02 then 1 + floor(3 * syn_u(report_id, 16))
            else 0
        end as carried_over
    from carried
    window w as (partition by agency, applicant, is_current order by year)
),

final as (
    select
        report_id,
        applicant,
        new_requests,
        carried_over,
        carried_forward,
        new_requests + carried_over - carried_forward as handled
    from chained
)

select * from final
