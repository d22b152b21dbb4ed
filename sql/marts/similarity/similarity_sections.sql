-- The 雷同检查 page: the comparisons of current reports in the sidebar selection whose score reaches
-- $threshold (0..1; null = all), of the relations in $relations ('上年', '同类'; empty or null = both),
-- with the other report named. The highest scores come first. The page shows $row_limit rows from row
-- $row_offset (0-based; null limit = every row, for the Excel file); similarity_summary counts them all.
-- Passages are read one comparison at a time (similarity_passages); here only their count and the first line
-- on each side, read from the JSON of the rows returned only.
with chosen as (
    select *
    from similarity_chosen(
        'fct_reports', $threshold, $relations, $regions, $levels, $types, $agencies, $year_from, $year_to
    )
),

ordered as (
    -- the rows asked for, before any passage is read
    select
        c.report_id,
        c.agency,
        c.year,
        c.section,
        c.relation,
        c.other_report_id,
        o.agency as other_agency,
        o.year as other_year,
        c.score,
        c.section_chars,
        c.matched_chars
    from chosen as c
    inner join reports as o on c.other_report_id = o.report_id
    order by  -- report_order is (agency, year) order
        c.score desc, c.report_order, list_position(['一', '二', '三', '四', '五', '六'], c.section), c.relation,
        o.agency
    limit $row_limit offset coalesce($row_offset, 0)
),

final as (
    select
        o.*,
        coalesce(json_array_length(s.passages), 0) as passages,
        cast(json_extract(s.passages, '$[0].line') as integer) as first_line,
        cast(json_extract(s.passages, '$[0].other_line') as integer) as other_first_line
    from ordered as o
    inner join section_similarity as s
        on o.report_id = s.report_id
        and o.section = s.section
        and o.other_report_id = s.other_report_id
        and o.relation = s.relation
)

select * from final
order by score desc, agency, year, list_position(['一', '二', '三', '四', '五', '六'], section), relation, other_agency
