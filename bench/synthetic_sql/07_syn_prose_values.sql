-- The figures every report states in its prose, one row per report: 主动公开政府信息 N 条, NPC suggestions and
-- CPPCC proposals handled (with a stated 办复率 now and then), the information fee; for prose-era reports
-- also the requests, their channels and outcomes and the review and litigation totals; for templated reports
-- the overview sentence's requests, handled and granted counts with the granted share, copied from the table
-- except in a few reports where they differ (R5), and for a government the requests of its own level,
-- which its office's report states (R7 when they differ). A figure not stated is NULL.
create or replace temp table syn_prose_values as
with reports as (
    select report_id, agency, year, template, agency_level, agency_type, is_current, mu
    from syn_reports
    where template <> 'workplan'
),

table_totals as (
    select
        report_id,
        max(value) filter (where metric = 'requests.new') as requests_new,
        max(value) filter (where metric = 'outcome.total') as handled,
        max(value) filter (where metric = 'outcome.granted') as granted
    from syn_section3
    where applicant = 'total'
    group by report_id
),

offices as (
    -- a government's own level: the requests its office received that year
    select o.agency, o.year, t.requests_new
    from syn_reports as o
    inner join table_totals as t on o.report_id = t.report_id
    where o.is_current and o.agency_type = 'office'
),

drawn as (
    select
        r.*,
        t.requests_new as table_new,
        t.handled as table_handled,
        t.granted as table_granted,
        o.requests_new as office_new,
        exp(r.mu - 0.5 + syn_z(r.report_id, 50)) as size,
        case r.agency_type when 'government' then 0.6 when 'office' then 0.4 else 0.3 end
        * case r.agency_level when 'township' then 0.1 else 1.0 end as deputy_odds
    from reports as r
    left join table_totals as t on r.report_id = t.report_id
    left join offices as o on r.agency_type = 'government' and o.agency = r.agency || '办公室' and o.year = r.year
),

final as (
    select
        report_id,
        template,
        -- every report
        case when syn_u(report_id, 51) < 0.9 then floor(exp(mu + 3.5 + 0.8 * syn_z(report_id, 52))) end as proactive,
        syn_u(report_id, 53) < 0.05 as proactive_approx,
        case when syn_u(report_id, 54) < deputy_odds then 1 + floor(exp(mu - 0.8 + 0.7 * syn_z(report_id, 55))) end
            as npc,
        syn_u(report_id, 56) as npc_draw,
        case when syn_u(report_id, 57) < deputy_odds * 0.9 then 1 + floor(exp(mu - 1.0 + 0.7 * syn_z(report_id, 58))) end
            as cppcc,
        syn_u(report_id, 59) as cppcc_draw,
        case
            when syn_u(report_id, 60) >= 0.15 then null
            when syn_u(report_id, 61) < 0.8 then 0.0
            else round(exp(3 + syn_z(report_id, 62)))
        end as fee_yuan,
        -- prose-era reports
        case
            when template <> 'prose' or syn_u(report_id, 63) >= 0.85 then null
            when agency_level = 'township' and syn_u(report_id, 64) < 0.5 then 0.0
            else floor(size)
        end as prose_new,
        syn_u(report_id, 65) as prose_draw,
        case
            when template <> 'prose' or syn_u(report_id, 66) >= 0.5 then null
            when syn_u(report_id, 67) < 0.6 then 0.0
            else floor(exp(mu - 3 + syn_z(report_id, 68)))
        end as review_total,
        case
            when template <> 'prose' or syn_u(report_id, 69) >= 0.3 then null
            when syn_u(report_id, 70) < 0.7 then 0.0
            else floor(exp(mu - 3.5 + syn_z(report_id, 71)))
        end as litigation_total,
        -- templated reports: the overview sentence
        table_new + case when syn_u(report_id, 72) < 0.015 then 1 else 0 end as overview_new,
        table_handled as overview_handled,
        table_granted as overview_granted,
        round(100 * table_granted / nullif(table_handled, 0), 2)
        + case when syn_u(report_id, 73) < 0.01 then 1.5 else 0 end as overview_percent,
        office_new + case when syn_u(report_id, 74) < 0.1 then 1 else 0 end as government_level
    from drawn
)

select * from final
