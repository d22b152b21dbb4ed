-- The 单位对比 page: one metric ($metric) for every unit and year of the selection, beside the P25, P50
-- and P75 of its peer group (same agency_level and agency_type: stg_agencies.peer_group) in the same
-- year. The percentiles are taken over ALL agencies of the group that state the metric that year, not
-- only the selected ones, so that a unit is placed among its real peers. $metric is a canonical key
-- (section 三 keys read the 总计 column) or a derived rate:
--   rate.disclosure  实质公开率 = (予以公开 + 部分公开) / 办理结果总计
--   rate.correction  纠错率 = 结果纠正 / 已审结（总计 − 尚未审结）, review and both kinds of suit together
-- A rate with a zero or unknown denominator is null, like a figure the report does not state.
with wanted as (
    select agency, year, template, peer_group, metric, value, raw
    from fct_values
    where
        applicant in ('', 'total')  -- '' outside section 三, the 总计 column inside it
        and (
            metric = $metric
            or (
                $metric = 'rate.disclosure'
                and metric in ('outcome.granted', 'outcome.partial', 'outcome.total')
            )
            or (
                $metric = 'rate.correction'
                and metric in (
                    'review.corrected', 'review.pending', 'review.total',
                    'litigation.direct.corrected', 'litigation.direct.pending', 'litigation.direct.total',
                    'litigation.after_review.corrected', 'litigation.after_review.pending',
                    'litigation.after_review.total'
                )
            )
        )
),

parts as (
    -- per report: the figure itself, or the numerator and denominator of a rate (stated figures only)
    select
        agency,
        year,
        peer_group,
        max(value) filter (where metric = $metric) as figure,
        max(raw) filter (where metric = $metric) as raw,
        sum(value) filter (where metric in ('outcome.granted', 'outcome.partial')) as disclosed,
        sum(value) filter (where metric = 'outcome.total') as handled,
        sum(value) filter (where metric like '%.corrected') as corrected,
        sum(value) filter (where metric like '%.total' and metric not like 'outcome.%')
        - coalesce(sum(value) filter (where metric like '%.pending'), 0) as concluded
    from wanted
    group by agency, year, peer_group
),

unit_values as (
    select
        agency,
        year,
        peer_group,
        raw,
        case $metric
            when 'rate.disclosure' then disclosed
            when 'rate.correction' then corrected
        end as numerator,
        case $metric
            when 'rate.disclosure' then handled
            when 'rate.correction' then concluded
        end as denominator,
        case $metric
            when 'rate.disclosure' then disclosed / nullif(handled, 0)
            when 'rate.correction' then corrected / nullif(concluded, 0)
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

units as (
    -- the selected units: every current report of the selection, whether or not it states the metric
    select r.agency, r.year, r.template, a.agency_level, a.agency_type, a.peer_group
    from stg_reports_current as r
    inner join stg_agencies as a on r.agency = a.agency
    where
        r.template <> 'workplan'
        and in_selection(
            a.region, a.agency_level, a.agency_type, r.agency, r.year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        u.*,
        v.value,
        v.numerator,
        v.denominator,
        v.raw,
        coalesce(p.peer_n, 0) as peer_n,
        p.p25,
        p.p50,
        p.p75,
        coalesce(p.peer_n, 0) < 5 as small_sample,
        -- ties are common (many units state 0): a value on the median is said so, not put above or below it
        case
            when v.value is null then 'not_stated'
            when p.peer_n = 1 then 'only_unit'
            when v.value > p.p75 then 'above_p75'
            when v.value < p.p25 then 'below_p25'
            when v.value = p.p50 then 'median'
            when v.value > p.p50 then 'p50_p75'
            else 'p25_p50'
        end as position
    from units as u
    left join unit_values as v on u.agency = v.agency and u.year = v.year
    left join peers as p on u.peer_group = p.peer_group and u.year = p.year
)

select * from final
order by agency, year
