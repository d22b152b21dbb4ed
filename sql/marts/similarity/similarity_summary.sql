-- The 雷同检查 page's headline: over the same comparisons as similarity_sections (current reports in the
-- sidebar selection, score at least $threshold, relations in $relations), how many comparisons, sections,
-- reports and units reach the threshold. The page lists the comparisons a page at a time; these count them all.
with chosen as (
    select
        report_id,
        section,
        agency
    from similarity_chosen(
        'fct_reports', $threshold, $relations, $regions, $levels, $types, $agencies, $year_from, $year_to
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
