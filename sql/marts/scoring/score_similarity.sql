-- For each current report of year $year, section and relation (上年, 同类): the comparison with the highest
-- score (section_similarity), the other report, and its longest repeated passage (the first of equally long ones)
-- with its lines: what the rubric's duplicated-text indicator compares with its threshold and cites
-- (analytics/scoring.py).
with rows as (
    select s.* exclude (passages)
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
        b.longest.text as passage,  -- the longest repeated passage, stored with the row
        b.longest.line as line,
        b.longest.other_line as other_line
    from best as b
    inner join reports as o on b.other_report_id = o.report_id
)

select * from final
order by report_id, list_position(['一', '二', '三', '四', '五', '六'], section), relation
