-- The 主动公开 page's figures per agency and year: each section 二 figure placed on its crosswalk series
-- (stg_crosswalk: the key read depends on the report's template, not its year), and the prose figure
-- 主动公开政府信息 N 条 as its own series. status tells a stated number from a glued run of digits that
-- could not be split (value null, raw keeps the digits) and from a printed blank or "/": the page shows
-- the last two as not stated, never as 0.
with keyed as (
    -- one row per (template, key) the page reads, with the series it belongs to
    select '2021' as template, key_2021 as metric, series, series_label, comparability, note, position
    from stg_crosswalk
    where key_2021 is not null
    union all
    select '2019' as template, key_2019 as metric, series, series_label, comparability, note, position
    from stg_crosswalk
    where key_2019 is not null
),

selected as (
    select agency, year, template, metric, value, raw, line
    from fct_values
    where
        -- section 二 keys and the prose count, listed so that the sorted table is read only where they lie
        metric in (
            'proactive.items',
            'rules.issued', 'rules.repealed', 'rules.in_force', 'rules.made', 'rules.published', 'rules.public_total',
            'normative_docs.issued', 'normative_docs.repealed', 'normative_docs.in_force', 'normative_docs.made',
            'normative_docs.published', 'normative_docs.public_total',
            'licensing.decisions', 'licensing.items_prev', 'licensing.items_change',
            'other_services.decisions', 'other_services.items_prev', 'other_services.items_change',
            'penalty.decisions', 'penalty.items_prev', 'penalty.items_change',
            'coercion.decisions', 'coercion.items_prev', 'coercion.items_change',
            'fees.amount_wan_yuan', 'fees.items_prev', 'fees.items_change',
            'procurement.items', 'procurement.amount_wan_yuan'
        )
        and applicant = ''
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

ranked_units as (
    -- charts and tables stay readable with a few units: keep the $max_units units with the most reporting
    -- years (then by name), and say how many the selection holds; fct_reports counts each report's figures
    -- of these keys, so the ranking reads one row per report
    select
        agency,
        row_number() over (order by count(*) desc, agency) as unit_rank,
        count(*) over () as units_total
    from fct_reports
    where
        proactive_rows > 0
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
    group by agency
),

kept as (
    select s.*, u.units_total
    from selected as s
    inner join ranked_units as u on s.agency = u.agency
    where u.unit_rank <= coalesce($max_units, 2147483647)
),

section_two as (
    select
        s.*,
        k.series,
        k.series_label,
        k.comparability,
        k.note,
        k.position
    from kept as s
    inner join keyed as k on s.template = k.template and s.metric = k.metric
),

prose_items as (
    -- the same sentence in every template: one series across all years
    select
        *,
        'proactive.items' as series,
        '主动公开政府信息条数' as series_label,
        'comparable' as comparability,
        '报告正文“主动公开政府信息N条”；写作“N余条”的按N计' as note,
        0 as position
    from kept
    where metric = 'proactive.items'
),

final as (
    select
        u.*,
        m.label as metric_label,
        case
            when u.value is not null then 'stated'
            when regexp_matches(coalesce(u.raw, ''), '[0-9]') then 'unsplit'
            else 'blank'
        end as status,
        coalesce(regexp_matches(u.raw, '余|多|约'), false) as approx  -- "9800余条": a floor, not an exact count
    from (select * from section_two union all by name select * from prose_items) as u
    left join metric_defs as m on u.metric = m.key
)

select * from final
order by position, agency, year
