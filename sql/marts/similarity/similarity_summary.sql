-- The 雷同检查 page's headline: over the same comparisons as similarity_sections (current reports in the
-- sidebar selection, score at least $threshold, relations in $relations), how many comparisons, sections,
-- reports and units reach the threshold. The page lists the comparisons a page at a time; these count them all.
with chosen as (
    select
        s.report_id,
        s.section,
        r.agency
    from section_similarity as s
    inner join fct_reports as r on s.report_id = r.report_id  -- current reports with their agency's attributes
    where
        s.score >= coalesce($threshold, 0)
        and (coalesce(len($relations::varchar[]), 0) = 0 or list_contains($relations::varchar[], s.relation))
        and in_selection(
            r.region, r.agency_level, r.agency_type, r.agency, r.year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        count(*) as comparisons,
        count(distinct (report_id, section)) as sections,
        count(distinct report_id) as reports,
        count(distinct agency) as agencies
    from chosen
)

select * from final
