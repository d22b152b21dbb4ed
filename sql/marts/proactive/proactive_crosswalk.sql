-- The crosswalk between the 2019 and 2021 section 二 tables as the 主动公开 page lists it: each pair of
-- keys with its printed labels, whether a series may run across the change of template, and why not.
-- A dictionary, not data: it does not depend on the sidebar selection.
with labelled as (
    select
        c.position,
        c.series,
        c.series_label,
        c.key_2021,
        l21.label as label_2021,
        c.key_2019,
        l19.label as label_2019,
        c.comparability,
        c.note
    from stg_crosswalk as c
    left join metric_defs as l21 on c.key_2021 = l21.key
    left join metric_defs as l19 on c.key_2019 = l19.key
),

final as (
    select * from labelled
)

select * from final
order by position
