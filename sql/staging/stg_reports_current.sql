-- The version of each agency's report for a year that the checks and the dashboard use: the
-- newest one. Older versions stay in reports for history but are not checked again. A report stored
-- without an agency or a year belongs to no unit and year: it is not here but in stg_reports_unidentified,
-- so every unit and year total, trend, rate, score, coverage and 雷同 row leaves it out until it is identified.
with ranked as (
    select
        *,
        row_number() over (partition by agency, year order by version desc) as version_rank
    from reports
    where agency is not null and year is not null
),

final as (
    select * exclude (version_rank)
    from ranked
    where version_rank = 1
)

select * from final
