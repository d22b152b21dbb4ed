-- The 雷同检查 page: the comparisons of current reports in the sidebar selection whose score reaches
-- $threshold (0..1; null = all), of the relations in $relations ('上年', '同类'; empty or null = both),
-- with the other report named. The highest scores come first. Passages are read one comparison at a
-- time (similarity_passages); here only their count and the first line on each side.
with chosen as (
    select
        s.*,
        r.agency,
        r.year
    from section_similarity as s
    inner join stg_reports_current as r on s.report_id = r.report_id
    left join stg_agencies as a on r.agency = a.agency
    where
        s.score >= coalesce($threshold, 0)
        and (coalesce(len($relations::varchar[]), 0) = 0 or list_contains($relations::varchar[], s.relation))
        and in_selection(
            a.region, a.agency_level, a.agency_type, r.agency, r.year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
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
        c.matched_chars,
        coalesce(json_array_length(c.passages), 0) as passages,
        cast(json_extract(c.passages, '$[0].line') as integer) as first_line,
        cast(json_extract(c.passages, '$[0].other_line') as integer) as other_first_line
    from chosen as c
    inner join reports as o on c.other_report_id = o.report_id
)

select * from final
order by score desc, agency, year, list_position(['一', '二', '三', '四', '五', '六'], section), relation, other_agency
