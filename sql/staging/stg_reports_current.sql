-- The version of each agency's report for a year that the checks and the dashboard use: the
-- newest one. Older versions stay in reports for history but are not checked again.
with ranked as (
    select
        *,
        row_number() over (partition by agency, year order by version desc) as version_rank
    from reports
),

final as (
    select * exclude (version_rank)
    from ranked
    where version_rank = 1
)

select * from final
