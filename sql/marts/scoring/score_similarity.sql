-- For each current report of year $year, section and relation (上年, 同类): the comparison with the highest
-- score (section_similarity), the other report, and its longest repeated passage with its line: what the
-- rubric's duplicated-text indicator compares with its threshold and cites (analytics/scoring.py).
with rows as (
    select s.*
    from section_similarity as s
    inner join stg_reports_current as r on s.report_id = r.report_id
    where r.year = $year
),

best as (
    select *
    from rows
    qualify row_number() over (
        partition by report_id, section, relation order by score desc, other_report_id
    ) = 1
),

longest as (
    select
        report_id,
        section,
        relation,
        other_report_id,
        arg_max(item, cast(item ->> 'chars' as integer)) as item
    from (
        select report_id, section, relation, other_report_id, unnest(cast(passages as json[])) as item
        from best
    )
    group by all
),

final as (
    select
        b.report_id,
        b.section,
        b.relation,
        b.other_report_id,
        o.agency as other_agency,
        o.year as other_year,
        b.score,
        b.matched_chars,
        b.section_chars,
        l.item ->> 'text' as passage,
        cast(l.item ->> 'line' as integer) as line,
        cast(l.item ->> 'other_line' as integer) as other_line
    from best as b
    inner join reports as o on b.other_report_id = o.report_id
    left join longest as l
        on b.report_id = l.report_id and b.section = l.section and b.relation = l.relation
            and b.other_report_id = l.other_report_id
)

select * from final
order by report_id, list_position(['一', '二', '三', '四', '五', '六'], section), relation
