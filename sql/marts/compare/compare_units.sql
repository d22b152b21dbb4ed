-- The 单位对比 page: one metric ($metric) for every unit and year of the selection, beside the P25, P50
-- and P75 of its peer group (same agency_level and agency_type: stg_agencies.peer_group) in the same
-- year. The percentiles are taken over ALL agencies of the group that state the metric that year, not
-- only the selected ones, so that a unit is placed among its real peers. $metric is a canonical key
-- (section 三 keys read the 总计 column) or a derived rate:
--   rate.disclosure  实质公开率 = (予以公开 + 部分公开) / 办理结果总计 (fct_reports.disclosure_rate)
--   rate.correction  纠错率 = 结果纠正 / 已审结（总计 − 尚未审结）, review and both kinds of suit together, blocks
--                    that break R4 left out (fct_reports.correction_rate)
-- A rate with a zero or unknown denominator is null, like a figure the report does not state; the rates and
-- the counts they divide are fct_reports' columns, defined there once for every page.
with stated as (
    -- a canonical key: each report's figure as fct_values holds it (a rate's parts come from fct_reports)
    select
        report_id,
        max(value) as figure,
        max(raw) as raw
    from fct_values
    where
        metric = $metric
        and applicant in ('', 'total')  -- '' outside section 三, the 总计 column inside it
    group by report_id
),

parts as (
    -- per report: the figure itself, or the numerator and denominator of a rate (stated figures only;
    -- fct_reports sums the stated parts of each, null when none is stated)
    select
        r.*,
        s.figure,
        s.raw
    from fct_reports as r
    left join stated as s on r.report_id = s.report_id
),

unit_values as (
    -- every current report with its value: the peers are all of them, the selection a part of them
    select
        agency,
        year,
        template,
        region,
        agency_level,
        agency_type,
        peer_group,
        report_order,
        raw,
        case $metric
            when 'rate.disclosure' then disclosure_num
            when 'rate.correction' then corr_num
        end as numerator,
        case $metric
            when 'rate.disclosure' then handled
            when 'rate.correction' then corr_den
        end as denominator,
        case $metric
            when 'rate.disclosure' then disclosure_rate
            when 'rate.correction' then correction_rate
            else figure
        end as value
    from parts
),

peers as (
    -- every agency of the group that states the metric that year, selected or not
    select
        peer_group,
        year,
        count(*) as peer_n,
        quantile_cont(value, 0.25) as p25,
        quantile_cont(value, 0.5) as p50,
        quantile_cont(value, 0.75) as p75
    from unit_values
    where value is not null
    group by peer_group, year
),

final as (
    -- the selected units: every current report of the selection, whether or not it states the metric
    select
        u.agency,
        u.year,
        u.template,
        u.agency_level,
        u.agency_type,
        u.peer_group,
        u.report_order,
        u.value,
        u.numerator,
        u.denominator,
        u.raw,
        coalesce(p.peer_n, 0) as peer_n,
        p.p25,
        p.p50,
        p.p75,
        coalesce(p.peer_n, 0) < 5 as small_sample,
        -- ties are common (many units state 0): a value on the median is said so, not put above or below it
        case
            when u.value is null then 'not_stated'
            when p.peer_n = 1 then 'only_unit'
            when u.value > p.p75 then 'above_p75'
            when u.value < p.p25 then 'below_p25'
            when u.value = p.p50 then 'median'
            when u.value > p.p50 then 'p50_p75'
            else 'p25_p50'
        end as position
    from unit_values as u
    left join peers as p on u.peer_group = p.peer_group and u.year = p.year
    where
        u.template <> 'workplan'
        and in_selection(
            u.region, u.agency_level, u.agency_type, u.agency, u.year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
)

select * exclude (report_order) from final
order by report_order  -- the (agency, year) order
