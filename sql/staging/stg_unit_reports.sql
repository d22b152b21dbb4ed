-- Each current annual report with the unit it counts for: under the unit's own name, under an earlier
-- name the roster ties to it (via = rename | merge), or under another way of writing it (via = alias:
-- stg_reports_current gives such a report its unit's name; filed_as is the name it was filed under). A work
-- plan is not an annual report. pick = 1 marks the report that stands for the unit in that year: its own name
-- first, then earlier names in name order.
with reports as (
    select report_id, agency, filed_as, year, published_on, source
    from stg_reports_current
    where template is distinct from 'workplan'
),

matched as (
    select
        n.unit,
        r.year,
        r.report_id,
        r.filed_as,
        r.published_on,
        r.source,
        case when r.filed_as <> r.agency then 'alias' else n.via end as via,
        n.change_year
    from reports as r
    inner join stg_coverage_names as n on r.agency = n.name
),

final as (
    select
        *,
        row_number() over (
            partition by unit, year order by (via = 'self') desc, filed_as, report_id
        ) as pick
    from matched
)

select * from final
