-- The version of each agency's report for a year that the checks and the dashboard use: the
-- newest one. Older versions stay in reports for history but are not checked again. A report stored
-- without an agency or a year belongs to no unit and year: it is not here but in stg_reports_unidentified,
-- so every unit and year total, trend, rate, score, coverage and 雷同 row leaves it out until it is identified.
-- A report filed under a name the roster keeps as another way of writing one of its units (roster_changes,
-- kind 'alias': 淄博市张店区人民政府 for 张店区人民政府, confirmed on 导入 or 报送情况) is that unit's report: agency is
-- the unit's name, so coverage, trends, R6 and roll-ups see one unit; filed_as keeps the name it was filed under.
-- Renames and mergers are not aliases: a renamed unit's old reports keep their old name (stg_coverage_names).
with aliased as (
    select
        r.* replace (coalesce(a.new_name, r.agency) as agency),
        r.agency as filed_as
    from reports as r
    left join roster_changes as a on a.kind = 'alias' and r.agency = a.old_name
    where r.agency is not null and r.year is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by agency, year order by version desc, ingested_at desc, report_id
        ) as version_rank
    from aliased
),

final as (
    select * exclude (version_rank)
    from ranked
    where version_rank = 1
)

select * from final
