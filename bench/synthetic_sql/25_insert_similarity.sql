-- 雷同 rows for the synthetic reports, so that the pages and the write benchmark read a database that holds them
-- as a real one does: sections 一 and 五 of every current annual report compared with the same unit's report of
-- the previous year (上年) and with the next two units of its peer group in the same year (同类), each row with
-- one repeated passage. Scores are drawn from the seed; the passages point at the sections' first lines.
insert into section_similarity by name
with current_reports as (
    select
        r.report_id,
        r.agency,
        r.year,
        a.peer_group
    from stg_reports_current as r
    left join stg_agencies as a on r.agency = a.agency
    where coalesce(r.template, '') <> 'workplan' and coalesce(r.source_format, '') <> 'collection'  -- as the loader
),

ranked as (
    select
        *,
        row_number() over (partition by peer_group, year order by agency) as place,
        lag(report_id) over (partition by agency order by year) as previous_id,
        lag(year) over (partition by agency order by year) as previous_year
    from current_reports
),

pairs as (
    select report_id, previous_id as other_report_id, '上年' as relation
    from ranked
    where previous_year = year - 1
    union all
    select a.report_id, b.report_id, '同类'
    from ranked as a
    inner join ranked as b
        on a.peer_group is not distinct from b.peer_group and a.year = b.year and b.place in (a.place + 1, a.place + 2)
),

sections as (
    select * from (values ('一'), ('五')) as t (section)
),

final as (
    select
        p.report_id,
        s.section,
        p.other_report_id,
        p.relation,
        round(syn_u(p.report_id || s.section || p.other_report_id, $seed + 40), 4) as score,
        120 as section_chars,
        cast(round(120 * syn_u(p.report_id || s.section || p.other_report_id, $seed + 40)) as integer)
            as matched_chars,
        cast(json_array(json_object(
            'chars', 24, 'start', 0, 'end', 24, 'line', 4, 'text', '本单位认真贯彻落实政府信息公开条例',
            'other_start', 0, 'other_end', 24, 'other_line', 4, 'other_text', '本单位认真贯彻落实政府信息公开条例'
        )) as json) as passages
    from pairs as p
    cross join sections as s
)

select * from final
