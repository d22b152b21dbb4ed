-- The 办理结果 page: the eight printed reasons of （三）不予公开, summed per year over the reports of the
-- selection that state them (总计 column). A prose report that gives only the category total
-- (outcome.denied.unspecified) has no reasons to add, and a reason no report states is left out, not 0.
with reason_figures as (
    select
        metric,
        year,
        report_id,
        value
    from fct_values
    where
        -- the keys starting "outcome.denied.", as a range of the sorted table so that only it is read
        metric >= 'outcome.denied.'
        and metric < 'outcome.denied/'
        and metric <> 'outcome.denied.unspecified'
        and applicant = 'total'
        and value is not null
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

labelled as (
    -- the printed label starts with the reason's number ("5.属于三类内部事务信息"): it gives the order
    select
        d.key as metric,
        cast(regexp_extract(d.label, '^(\d+)\.', 1) as integer) as position,
        regexp_replace(d.label, '^\d+\.', '') as reason
    from metric_defs as d
    where d.category = 'denied' and d.key <> 'outcome.denied.unspecified'
),

final as (
    select
        f.metric,
        l.position,
        l.reason,
        f.year,
        sum(f.value) as cases,
        count(*) as reports  -- a report states each reason once (one figure per key and column)
    from reason_figures as f
    inner join labelled as l on f.metric = l.metric
    group by f.metric, l.position, l.reason, f.year
)

select * from final
order by position, year
