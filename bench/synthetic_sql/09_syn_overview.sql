-- The overview sentence of templated reports (line 4), which repeats the table's requests received and
-- handled and the granted count with its share; a government's also gives the requests of its own level.
-- A report whose table leaves one of them blank, or handled none, says so without figures.
create or replace temp table syn_overview as
with stated as (
    select *
    from syn_prose_values
    where
        template in ('2019', '2021')
        and overview_new is not null
        and overview_handled > 0
        and overview_granted is not null
),

final as (
    select
        report_id,
        overview_new,
        overview_handled,
        overview_granted,
        overview_percent,
        government_level,
        format(
            '本年度共收到政府信息公开申请{}件{}，办结{}件，其中予以公开{}件，占{}%。',
            cast(overview_new as bigint),
            coalesce('（政府层面的申请' || cast(government_level as bigint) || '件）', ''),
            cast(overview_handled as bigint),
            cast(overview_granted as bigint),
            printf('%.2f', overview_percent)
        ) as sentence
    from stated
)

select * from final
