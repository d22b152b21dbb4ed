-- 雷同 rows for the synthetic reports, so that the pages and the write benchmark read a database that holds them
-- as a real one does: the prose sections (一, 二, 五, 六; sections 三 and 四 are tables, whose rows are not
-- compared) of every current annual report compared with the same unit's report of the previous year (上年) and
-- with the next two units of its peer group in the same year (同类), about as many rows per report as the loader
-- stores for real reports. Scores are drawn from the seed; each row holds one to six repeated passages (about
-- one per 60 matched characters) of a sentence each, pointing at lines of the section, as the loader writes them.
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
    select * from (values ('一', 4), ('二', 9), ('五', 30), ('六', 34)) as t (section, first_line)
),

drawn as (
    select
        p.report_id,
        s.section,
        s.first_line,
        p.other_report_id,
        p.relation,
        round(syn_u(p.report_id || s.section || p.other_report_id, $seed + 40), 4) as score,
        200 + cast(floor(1500 * syn_u(p.report_id || s.section, $seed + 41)) as integer) as section_chars
    from pairs as p
    cross join sections as s
),

sized as (
    select
        *,
        cast(round(section_chars * score) as integer) as matched_chars,
        least(6, 1 + cast(floor(section_chars * score / 60) as integer)) as n_passages
    from drawn
),

final as (
    select
        report_id,
        section,
        other_report_id,
        relation,
        score,
        section_chars,
        matched_chars,
        cast(to_json(list_transform(range(n_passages), lambda i: {
            'chars': 24,
            'start': 40 * i,
            'end': 40 * i + 24,
            'line': first_line + i,
            'text': ['本单位认真贯彻落实政府信息公开条例', '坚持以公开为常态不公开为例外的原则',
                     '进一步完善政府信息公开工作机制', '依法依规做好政府信息依申请公开工作',
                     '加强政府信息公开平台建设和管理', '认真做好政府信息公开工作年度报告编制'][i + 1],
            'other_start': 40 * i,
            'other_end': 40 * i + 24,
            'other_line': first_line + i,
            'other_text': ['本单位认真贯彻落实政府信息公开条例', '坚持以公开为常态不公开为例外的原则',
                           '进一步完善政府信息公开工作机制', '依法依规做好政府信息依申请公开工作',
                           '加强政府信息公开平台建设和管理', '认真做好政府信息公开工作年度报告编制'][i + 1]
        })) as json) as passages,
        {
            'chars': 24,
            'text': '本单位认真贯彻落实政府信息公开条例',
            'line': first_line,
            'other_line': first_line
        } as longest  -- every passage is 24 characters: the first, as the loader keeps it
    from sized
)

select * from final
