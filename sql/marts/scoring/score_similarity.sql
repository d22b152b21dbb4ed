-- For each current report of year $year, section and relation (上年, 同类): the comparison with the highest
-- score (section_similarity), the other report, and its longest repeated passage (the first of equally long ones)
-- with its lines: what the rubric's duplicated-text indicator compares with its threshold and cites
-- (analytics/scoring.py).
with rows as (
    select s.*
    from section_similarity as s
    inner join fct_reports as r on s.report_id = r.report_id  -- the current reports, stored with their year
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
    -- the longest repeated passage of each best comparison (the first of equally long ones): the passages read once
    -- into a typed list of the four fields used, not unnested one row per passage
    select
        * exclude (passages, found),
        found[list_position(lengths, list_max(lengths))] as item
    from (
        select
            *,
            list_transform(found, lambda p: p.chars) as lengths
        from (
            select
                *,
                from_json(
                    passages, '[{"chars": "INTEGER", "text": "VARCHAR", "line": "INTEGER", "other_line": "INTEGER"}]'
                ) as found
            from best
        )
    )
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
        b.item.text as passage,
        b.item.line,
        b.item.other_line
    from longest as b
    inner join reports as o on b.other_report_id = o.report_id
)

select * from final
order by report_id, list_position(['一', '二', '三', '四', '五', '六'], section), relation
